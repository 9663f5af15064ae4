# Dateline на русском: интерфейс публичных страниц.
# Те же идентификаторы, что и в en-GB/site.ftl; комментарии о том, где используется
# каждая строка, — в английском файле. Множественное число: one (1, 21, 101…),
# few (2–4, 22–24…), many (0, 5–20, 25–30…), other (дробные числа).
# Кавычки — «елочки», тире — длинное, с пробелами.

## Page skeleton: templates/base.html

skip-to-content = Перейти к основному содержанию
page-title = { $title } — { $site }
site-search-label = Поиск по сайту { $site }
site-search-button = Найти
nav-main-label = Навигация { $site }
nav-home = Главная
nav-regions-label = Регионы мира
footer-copyright = © { $site }, { $year }. { $site } не несет ответственности за содержание внешних сайтов.
footer-read-more = Подробнее.
footer-css-notice = Эту страницу лучше всего просматривать в современном браузере с включенными таблицами стилей (CSS). В вашем нынешнем браузере содержание страницы будет доступно, но выглядеть она будет не так, как задумано. Если есть возможность, обновите браузер или включите таблицы стилей (CSS).

## Breaking news banner

breaking-news = Срочная новость

## Story lists and top stories

live-flag = Онлайн

## Front page and feeds

front-title = { $site } — Главная
front-description = Последние новости { $site }.
front-heading = { $site }: главные новости
front-empty = Пока не опубликовано ни одного материала.
feed-top-stories-title = { $site } — Главные новости
feed-section-title = { $site } — { $section }
feed-description = Последние материалы: { $title }

## Section fronts

section-description = Последние новости раздела «{ $section }» — { $site }.
section-subsections-label = Подразделы раздела «{ $section }»
section-empty = В разделе «{ $section }» пока нет материалов.

## Article page

page-last-updated = Последнее обновление: { $time }
article-live-label = Онлайн
article-print = Версия для печати
article-history = История материала
article-comments-open = Обсудить
article-comments-closed = Читать комментарии
article-comments-link = { $label }: { $count ->
        [one] { $count } комментарий
        [few] { $count } комментария
        [many] { $count } комментариев
       *[other] { $count } комментария
    }
article-sponsor = Реклама
related-heading = По теме
related-more-from = Другие материалы { $site }
related-internet-links = Ссылки по теме
related-disclaimer = { $site } не несет ответственности за содержание внешних сайтов
promos-heading = Рекомендуем
corrections-heading = Исправления
translations-heading = Читать на другом языке

## Save for later

save-story-saved = Сохранено
save-story-remove = Удалить из сохраненных
save-story-your-saved = Ваши сохраненные материалы
save-story-save = Прочитать позже

## Live pages

live-ended-heading = Трансляция завершена
live-key-points = Главное
live-updates-heading = Онлайн-трансляция
live-older-posts = Предыдущие записи
live-show-new-posts = Показать новые записи
live-back-to-latest = К последним записям
live-key-point = Главное
live-update-at = Обновление в { $time }
live-feed-link-title = { $site } — { $headline }: онлайн-трансляция (Atom)
live-feed-title = { $site } — Онлайн: { $headline }
live-announce-new-post = Новая запись: { $text }
live-announce-ended = Трансляция завершена.

## Print view

print-title = { $headline } — { $site } (версия для печати)
print-source = Материал с сайта { $url }
print-copyright = © { $site }, { $year }. { $site } не несет ответственности за содержание внешних сайтов.

## Story history

history-title = История: { $headline } — { $site }
history-heading = История материала
history-intro = Все опубликованные версии этого материала, начиная с самой новой, и что изменилось по сравнению с предыдущей версией. Черновики и неопубликованные правки не показываются.
history-live-heading = Изменения в трансляции
history-live-intro = Все изменения опубликованных записей, начиная с самых новых. Текст удаленной записи не показывается.
history-first-published = Первая публикация
history-minor-correction = Небольшое исправление в тексте
history-updated = Обновлено
history-field-headline = Заголовок
history-field-summary = Анонс
history-field-text = Текст
history-live-published = Запись опубликована
history-live-edited = Запись отредактирована
history-live-pinned = Закреплена как главное
history-live-unpinned = Больше не в главном
history-live-deleted = Запись удалена
history-live-ended = Трансляция завершена

## Comments

comments-title = Комментарии: { $headline } — { $site }
comments-heading = Обсуждение
problem-heading = Есть проблема
comment-label = Ваш комментарий
comment-hint = Обычный текст, не больше { $max ->
        [one] { $max } символа
        [few] { $max } символов
        [many] { $max } символов
       *[other] { $max } символа
    }. Веб-адреса станут ссылками.
comment-hint-premoderated = Модератор проверяет каждый комментарий перед публикацией.
comment-hint-postmoderated = Комментарии появляются сразу; модератор может их удалить.
comment-post = Опубликовать комментарий
comment-sign-in = { $signIn }, или { $register }.
comment-sign-in-link = Войдите, чтобы оставить комментарий
comment-register-link = зарегистрируйтесь
comments-closed = Комментарии к этому материалу закрыты.
comments-count = { $count ->
        [one] { $count } комментарий
        [few] { $count } комментария
        [many] { $count } комментариев
       *[other] { $count } комментария
    }
comments-order = Показать: { $newest } | { $oldest }
comments-newest-first = сначала новые
comments-oldest-first = сначала старые
comments-none-yet = Комментариев пока нет.
comments-none-on-page = На этой странице нет комментариев.
comment-reply = Ответить
comment-reply-hidden = пользователю { $name }
comment-reply-label = Ваш ответ
comment-reply-post = Опубликовать ответ
comment-report = Пожаловаться
comment-report-hidden = на комментарий пользователя { $name }
reply-report-hidden = на ответ пользователя { $name }
comment-report-reason = Почему модератору стоит на это взглянуть?
comment-replies-label = Ответы пользователю { $name }
comments-pages-label = Страницы комментариев
comments-previous = Предыдущие комментарии
comments-more = Еще комментарии
comment-notice-posted = Ваш комментарий опубликован.
comment-notice-pending = Спасибо! Ваш комментарий появится после проверки модератором.
comment-notice-reported = Спасибо! Модератор посмотрит комментарий, на который вы пожаловались.
comment-problem-parent-gone = Комментарий, на который вы отвечали, больше не показывается.
comment-problem-empty = Напишите комментарий, прежде чем его публиковать.
# The limit is written out as the page's hint writes it; $count is the comment's length.
comment-problem-too-long = Комментарий может быть не длиннее 2000 знаков, а в этом { $count }.
comment-refused-off = К этому материалу нельзя оставлять комментарии.
comment-refused-closed = Обсуждение этого материала закрыто.
comment-refused-unverified = Прежде чем комментировать, подтвердите адрес электронной почты: перейдите по ссылке из нашего письма.
comment-refused-banned = Вы больше не можете комментировать: модератор заблокировал вашу учетную запись.
# $reason is the moderator's own words.
comment-refused-banned-reason = Вы больше не можете комментировать: модератор заблокировал вашу учетную запись ({ $reason }).

## Search

search-title = Поиск — { $site }
search-title-query = { $query } — Поиск — { $site }
search-heading = Поиск
search-for = Что искать
search-button = Найти
search-narrow = Уточнить поиск
search-section = Раздел
search-all-sections = Все разделы
search-published-from = Опубликовано с
search-published-to = по
search-help = Фразу заключите в кавычки ("климатические переговоры"), а перед словом, которое нужно исключить, поставьте минус (бюджет -налоги).
search-results-for = Результаты поиска по запросу «{ $query }»
search-no-results = Ничего не найдено. Попробуйте сократить запрос или изменить слова.
search-count = Показаны { $first }–{ $last } из { $total } { $total ->
        [one] материала
        [few] материалов
        [many] материалов
       *[other] материала
    }
search-count-capped = Показаны { $first }–{ $last } из более чем { $total } материалов
search-pages-label = Страницы результатов поиска
search-previous-page = Предыдущая страница
search-next-page = Следующая страница
search-error-date = Дата { $field } должна выглядеть так: 2026-11-29, а не «{ $value }».
search-field-from = начала
search-field-to = окончания
search-error-date-range = Такой даты нет в допустимом диапазоне.
search-error-no-section = Раздела «{ $section }» нет.
search-error-empty = Введите слово или два для поиска.
search-error-too-long = Слишком длинный запрос: используйте не более { $max } знаков.
search-error-too-many = В запросе слишком много слов: используйте не более { $max } слов или фраз.
# The quotation marks and the minus sign are search syntax: keep them as ASCII " and -.
search-error-unclosed-quote = Кавычка не закрыта: заключайте фразы в кавычки с обеих сторон, например "климатические переговоры".
search-error-only-exclusions = Добавьте хотя бы одно слово для поиска: знак минус только исключает слово, например бюджет -налог.
search-error-page = Номер страницы должен быть целым числом от 1 до { $max }.

## Editorial policy

policy-title = Редакционная политика
policy-links-heading = Ссылки на другие сайты
policy-links-text = { $site } дает ссылки на другие сайты, когда они помогают читателям разобраться в теме. Мы выбираем их потому, что они относятся к делу, однако { $site } не несет ответственности за содержание внешних сайтов, и ссылка не означает, что мы их одобряем.
policy-corrections-heading = Исправления и обновления
policy-corrections-text = В каждом материале указано время последнего обновления. Если мы исправляем ошибку, мы сообщаем об этом в самом материале и указываем дату исправления.
policy-times-heading = Дата и время
policy-times-text = Время на сайте указано в часовом поясе { $zone }.

## Error pages

error-home-link = Перейти на главную страницу { $site }
error-not-found-title = Страница не найдена
error-not-found-text = К сожалению, мы не нашли эту страницу. Возможно, она перенесена или в адресе есть опечатка.
error-gone-title = Материал удален
error-gone-text = Этот материал удален и больше недоступен.
error-server-title = Что-то пошло не так
error-server-text = К сожалению, у нас что-то пошло не так. Попробуйте еще раз через минуту.
error-unavailable-title = Временно недоступно
error-unavailable-text = Сейчас мы не можем показать эту страницу: не отвечает наша база данных. Все, что вы сохранили, на месте; попробуйте еще раз через несколько секунд.
error-form-expired-title = Срок действия формы истек
error-form-expired-text = Срок действия этой формы истек, или она отправлена не с нашего сайта, поэтому ничего не изменилось. Вернитесь назад, обновите страницу и попробуйте еще раз.
error-forbidden-title = Действие запрещено
error-forbidden-text = У вашего аккаунта нет прав на это действие. Если вы считаете, что они должны быть, обратитесь к редактору или администратору.
error-not-saved-title = Не сохранено
error-not-saved-disk-full = База данных не смогла это сохранить: диск, на котором она хранится, заполнен. Ничего не изменилось. Сохраните копию своего текста и сообщите администраторам сайта; читать сайт по-прежнему можно.
error-not-saved-read-only = База данных не смогла это сохранить: сейчас она доступна только для чтения. Ничего не изменилось. Сохраните копию своего текста и сообщите администраторам сайта; читать сайт по-прежнему можно.
