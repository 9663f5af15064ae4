# Страницы аккаунта читателя, уголок читателя в шапке сайта и ссылка «Войти», по-русски.

## The masthead

account-sign-in-link = Войти
account-reader-signed-in-as = Вы вошли как { $name }
account-reader-your-account = Ваш аккаунт
account-reader-saved-stories = Сохраненные материалы
account-reader-my-news = Мои новости
account-reader-sign-out = Выйти

## Confirmations after an action

account-notice-verified = Ваш адрес электронной почты подтвержден. Добро пожаловать!
account-notice-signed-in = Вы вошли на сайт.
account-notice-signed-out = Вы вышли с сайта.
account-notice-name = Ваше имя изменено.
account-notice-password = Пароль изменен. На всех других устройствах выполнен выход из аккаунта.
account-notice-reset = Новый пароль установлен, и вы вошли на сайт. На всех других устройствах выполнен выход из аккаунта.
account-notice-email-sent = Мы отправили ссылку на ваш новый адрес. Адрес изменится, когда вы по ней перейдете.
account-notice-email-changed = Ваш адрес электронной почты изменен.
account-notice-deleted = Ваш аккаунт и все его данные удалены.
account-notice-story-saved = Материал сохранен.
account-notice-story-removed = Материал удален из сохраненных.
account-notice-followed = Вы подписались. Новые материалы появятся в разделе «Мои новости».
account-notice-unfollowed = Вы отписались.
account-notice-topic = Вы подписались на эту тему. Материалы по ней появятся в разделе «Мои новости».
account-notice-topic-removed = Вы отписались от этой темы.
account-notice-daily = Ежедневная рассылка настроена.
account-notice-daily-off = Ежедневная рассылка вам больше не придет.
account-notice-feed-off = Ваша личная лента отключена: ее адрес больше не работает.

## Form fields

account-email-label = Адрес электронной почты
account-new-email-label = Новый адрес электронной почты
account-password-label = Пароль
account-your-password-label = Ваш пароль
account-current-password-label = Текущий пароль
account-new-password-label = Новый пароль
account-new-password-again-label = Новый пароль еще раз
account-new-password-hint = Не менее 10 символов.
account-name-label = Ваше имя
account-name-hint = Оно будет стоять рядом со всем, что вы пишете на сайте. Не длиннее 60 символов.

## Problems with a form

account-problem-email = Введите адрес электронной почты, например name@example.org.
account-problem-email-missing = Введите адрес электронной почты.
account-problem-password-missing = Введите пароль.
account-problem-name-missing = Введите имя, которое увидят другие читатели.
account-problem-name-too-long = Имя может быть не длиннее { $max ->
        [one] { $max } символа
       *[other] { $max } символов
    }.
account-problem-name-no-letter = В имени должна быть хотя бы одна буква или цифра.
account-problem-password-too-short = Выберите другой пароль: он должен быть не короче { $min ->
        [one] { $min } символа
       *[other] { $min } символов
    }.
account-problem-password-too-long = Выберите другой пароль: он должен быть не длиннее { $max ->
        [one] { $max } байта
       *[other] { $max } байтов
    }.
account-problem-passwords-differ = Пароли не совпадают.
account-problem-new-passwords-differ = Новые пароли не совпадают.
account-problem-not-your-password = Это не ваш пароль.
account-problem-not-your-current-password = Это не ваш текущий пароль.
account-problem-same-email = Это и так ваш адрес.
account-problem-delete-tick = Отметьте флажок, чтобы подтвердить, что понимаете: аккаунт будет удален.
account-problem-wrong-sign-in = Этот адрес электронной почты и пароль не подходят ни к одному аккаунту, с которым можно войти. Если вы только что зарегистрировались, сначала перейдите по ссылке из нашего письма.
account-problem-too-many = Слишком много попыток за короткое время. Чтобы защитить аккаунты, подождите { $count ->
        [one] { $count } секунду
        [few] { $count } секунды
        [many] { $count } секунд
       *[other] { $count } секунды
    } и попробуйте снова.

## Sign in

account-sign-in-title = Вход
account-sign-in-button = Войти
account-link-instead = Прислать мне ссылку для входа вместо пароля
account-forgotten-password = Забыли пароль?
account-create-account = Зарегистрироваться
account-staff-sign-in = Вход для сотрудников редакции
account-sign-in-with-password = Войти с паролем
account-link-title = Вход по ссылке из письма
account-link-lead = Укажите адрес электронной почты вашего аккаунта, и мы пришлем ссылку, по которой можно войти без пароля.
account-link-button = Прислать ссылку
account-link-use-lead = Нажмите кнопку, чтобы войти на сайт { $site }.

## Register and verify

account-register-title = Регистрация
account-register-lead = С аккаунтом вы сможете входить на сайт. Мы пришлем вам письмо со ссылкой для подтверждения адреса.
account-register-button = Создать аккаунт
account-have-account = Уже есть аккаунт? Войдите
account-check-email-title = Проверьте почту
account-check-email-lead = Мы отправляем письмо на адрес { $email }. Чтобы продолжить, перейдите по ссылке из него: она сработает один раз и только в течение ограниченного времени.
account-check-email-spam = Если письмо не придет в течение нескольких минут, загляните в папку «Спам», проверьте адрес и попробуйте еще раз.
account-go-home = На главную страницу
account-verify-title = Подтвердите адрес электронной почты
account-verify-lead = Нажмите кнопку, чтобы подтвердить, что это ваш адрес, и войти на сайт.
account-verify-button = Подтвердить адрес

## A mailed link that no longer works

account-link-gone-title = Эта ссылка больше не работает
account-link-gone-lead = Каждая ссылка из наших писем срабатывает один раз, а ссылка этого типа — только в течение { $lifetime }. Этой ссылкой уже воспользовались, срок ее действия истек или она скопирована не полностью.
account-lifetime-verify = 48 часов
account-lifetime-sign-in = 15 минут
account-lifetime-reset = одного часа
account-lifetime-change-email = 24 часов
account-link-gone-ask = Вы можете запросить новую:
account-link-gone-sign-in = Прислать мне ссылку для входа

## Reset a password

account-reset-title = Выбрать новый пароль
account-reset-lead = Укажите адрес электронной почты вашего аккаунта, и мы пришлем ссылку, по которой можно выбрать новый пароль.
account-new-password-lead = Новый пароль заменит старый, и на всех устройствах будет выполнен выход из аккаунта.
account-new-password-button = Сохранить новый пароль

## Your account

account-settings-title = Ваш аккаунт
account-settings-signed-in-as = Вы вошли как { $name }, адрес электронной почты — { $email }.
account-settings-created-on = Аккаунт создан { $date }.
account-settings-my-news = Мои новости
account-settings-what-you-follow = Ваши подписки
account-settings-what-you-follow-rest = : разделы, регионы, темы, ежедневная рассылка и личная лента
account-settings-your-name = Ваше имя
account-settings-save-name = Сохранить имя
account-settings-your-email = Ваш адрес электронной почты
account-settings-email-intro = Ваш адрес — { $email }. Мы отправим ссылку на новый адрес, и он станет адресом аккаунта, когда вы по ней перейдете.
account-settings-change-email = Изменить адрес
account-settings-your-password = Ваш пароль
account-settings-password-intro = После смены пароля на всех других устройствах будет выполнен выход из аккаунта.
account-settings-change-password = Изменить пароль
account-settings-data-heading = Ваши данные
account-settings-data-intro = Все, что мы храним о вашем аккаунте, в виде файла JSON: ваши данные, устройства, на которых вы вошли, и ссылки, которые мы отправляли вам по почте.
account-settings-data-download = Скачать мои данные
account-settings-delete-heading = Удаление аккаунта
account-settings-delete-intro = Аккаунт и все его данные будут удалены сразу и навсегда. Если хотите их сохранить, сначала скачайте свои данные.
account-settings-delete-confirm = Я понимаю, что мой аккаунт будет удален навсегда
account-settings-delete-button = Удалить мой аккаунт
account-settings-sign-out = Выйти
account-email-confirm-title = Подтвердите новый адрес электронной почты
account-email-confirm-lead = Нажмите кнопку, чтобы сделать этот адрес адресом вашего аккаунта.
account-email-confirm-button = Использовать этот адрес
account-email-taken-title = С этим адресом уже есть аккаунт
account-email-taken-lead = Этот адрес электронной почты уже использует другой аккаунт, поэтому он не может стать адресом вашего. У вашего аккаунта остается прежний адрес.

## Saved stories

account-saved-title = Сохраненные материалы
account-saved-empty = У вас нет сохраненных материалов. Нажмите «Прочитать позже» под любым материалом, и он появится здесь.
account-saved-no-more = Больше сохраненных материалов нет.
account-saved-back-to-newest = К последним сохраненным
account-saved-count = { $count ->
        [one] { $count } сохраненный материал
        [few] { $count } сохраненных материала
        [many] { $count } сохраненных материалов
       *[other] { $count } сохраненного материала
    }, сначала последние.
account-saved-meta = { $section }. Сохранено { $date }
account-saved-remove = Удалить
account-saved-pages-label = Страницы сохраненных материалов
account-saved-newer = Сохраненные позже
account-saved-older = Сохраненные раньше
account-saved-full = Вы сохранили { $max ->
        [one] { $max } материал
        [few] { $max } материала
       *[many] { $max } материалов
    } — больше аккаунт не вмещает. Удалите какие-нибудь, чтобы сохранить новые.

## My news

account-my-news-title = Мои новости
account-my-news-empty = Вы пока ни на что не подписаны. Выберите разделы, регионы и темы, и здесь появятся их последние материалы.
account-my-news-choose = Выбрать подписки
account-my-news-following = Последние материалы по вашим подпискам: { $list }.
account-list-separator = {", "}
account-my-news-change = Изменить подписки
account-my-news-change-rest = , ежедневную рассылку или личную ленту.
account-my-news-nothing-new = По вашим подпискам пока нет ничего нового.
account-my-news-latest = Последние материалы

## What you follow

account-following-title = Ваши подписки
account-following-intro = Материалы из разделов, регионов и тем, на которые вы подписаны, появляются в разделе { $myNews }, в вашей личной ленте и в ежедневной рассылке. Ваши подписки видите только вы.
account-following-sections = Разделы
account-following-sections-hint = Подписка на раздел включает и все его подразделы.
account-following-regions = Регионы
account-following-topics = Темы
account-following-no-topics = Вы пока не подписаны ни на одну тему. Тема — это поисковый запрос: найденные по нему материалы появятся в «Моих новостях».
account-following-state = Вы подписаны
account-following-follow = Подписаться
account-following-stop = Отписаться
account-following-topic-label = Подписаться на тему
account-following-topic-hint = Слова, "фразы" и -исключения, как в строке поиска: подходящие материалы появятся в «Моих новостях».
account-following-topic-button = Подписаться на эту тему
account-following-topics-full = Вы подписаны на { $max ->
        [one] { $max } тему
        [few] { $max } темы
        [many] { $max } тем
       *[other] { $max } темы
    } — это максимум. Чтобы добавить новую, отпишитесь от одной из них.
account-following-daily = Ежедневная рассылка
account-following-daily-intro = Раз в день, в выбранный вами час, мы присылаем на почту главные материалы за прошедшие сутки по вашим подпискам. Если нового ничего нет, письма не будет. В каждом письме есть ссылка для отказа от рассылки.
account-following-daily-at = Время отправки
account-following-daily-hint = Время указано для часового пояса «{ $zone }». Если выбранный час сегодня уже прошел, рассылка начнется завтра.
account-following-daily-none = Без рассылки
account-following-daily-save = Сохранить настройки рассылки
account-following-feed = Ваша личная лента
account-following-feed-intro = «Мои новости» в виде ленты Atom для программы чтения лент. Ее адрес секретный: любой, у кого он есть, увидит ваши подписки, поэтому никому его не сообщайте.
account-following-feed-fresh = Адрес вашей ленты — ниже. Скопируйте его в программу чтения лент прямо сейчас: ради вашей безопасности мы храним только его отпечаток и не сможем показать адрес еще раз.
account-following-feed-made-on = У вас есть адрес личной ленты, созданный { $date }.
account-following-feed-renew = Создать новый адрес
account-following-feed-off = Отключить ленту
account-following-feed-hint = Новый адрес сразу отменяет старый; отключенная лента перестает работать навсегда.
account-following-feed-new = Создать адрес личной ленты
account-following-my-news = Мои новости
account-following-your-account = Ваш аккаунт
account-problem-topic-empty = Введите слово или фразу для подписки, например бюджет или "климатические переговоры".
account-problem-topic-too-long = Тема может быть не длиннее { $max ->
        [one] { $max } символа
       *[other] { $max } символов
    }.
account-problem-topic-too-many-words = В запросе слишком много слов: используйте не больше { $max ->
        [one] { $max } слова или фразы
       *[other] { $max } слов или фраз
    }.
account-problem-topic-unclosed-quote = Кавычка не закрыта: заключайте фразы в двойные кавычки, например "климатические переговоры".
account-problem-topic-only-exclusions = Добавьте хотя бы одно слово для поиска: знак минус только исключает слово, как в запросе бюджет -налог.
account-problem-topic-no-words = Введите одно-два слова для поиска.
account-problem-topic-followed = Вы уже подписаны на эту тему.
account-problem-topic-limit = Можно подписаться не больше чем на { $max ->
        [one] { $max } тему
        [few] { $max } темы
       *[many] { $max } тем
    }: сначала отпишитесь от одной из них.
account-problem-hour = Выберите час из списка или «Без рассылки».

## Stopping the daily e-mail from its link

account-unsubscribe-title = Отказаться от ежедневной рассылки?
account-unsubscribe-lead = Нажмите кнопку, чтобы больше не получать ежедневную подборку материалов по вашим подпискам. Возобновить рассылку можно в любое время в личном кабинете.
account-unsubscribe-button = Отказаться от рассылки
account-unsubscribe-done-title = Ежедневная рассылка вам больше не придет
account-unsubscribe-done-lead = Рассылка остановлена. Чтобы возобновить ее, выберите час отправки в разделе «Ваши подписки» личного кабинета.
account-unsubscribe-broken-title = Эта ссылка не работает
account-unsubscribe-broken-lead = Эту ссылку для отказа от рассылки отправляли не мы, или она устарела. Чтобы остановить рассылку, войдите в личный кабинет и выберите «Без рассылки» в разделе «Ваши подписки».
