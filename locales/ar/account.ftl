# صفحات حسابات القرّاء، وركن القارئ في رأس الصفحة ورابط «تسجيل الدخول»، بالعربية.

## The masthead

account-sign-in-link = تسجيل الدخول
account-reader-signed-in-as = سجّلت الدخول باسم { $name }
account-reader-your-account = حسابك
account-reader-saved-stories = الموضوعات المحفوظة
account-reader-my-news = أخباري
account-reader-sign-out = تسجيل الخروج

## Confirmations after an action

account-notice-verified = تم التحقق من بريدك الإلكتروني. أهلًا بك!
account-notice-signed-in = سجّلت الدخول.
account-notice-signed-out = سجّلت الخروج.
account-notice-name = تم تغيير اسمك.
account-notice-password = تم تغيير كلمة المرور، وسُجّل خروجك من كل مكان آخر كنت قد سجّلت الدخول منه.
account-notice-reset = حُدّدت كلمة المرور الجديدة وسجّلت الدخول، وسُجّل خروجك من كل مكان آخر كنت قد سجّلت الدخول منه.
account-notice-email-sent = أرسلنا رابطًا إلى عنوانك الجديد. يتغيّر عنوانك عندما تفتح الرابط.
account-notice-email-changed = تم تغيير عنوان بريدك الإلكتروني.
account-notice-deleted = حُذف حسابك وكل ما فيه.
account-notice-story-saved = حُفظ الموضوع.
account-notice-story-removed = أُزيل الموضوع من موضوعاتك المحفوظة.
account-notice-followed = أصبحت تتابعه الآن، وستجد موضوعاته في «أخباري».
account-notice-unfollowed = لم تعد تتابعه.
account-notice-topic = أصبحت تتابع هذا الموضوع، وستجد ما يُنشر عنه في «أخباري».
account-notice-topic-removed = لم تعد تتابع هذا الموضوع.
account-notice-daily = ضُبطت الرسالة اليومية.
account-notice-daily-off = لن تصلك الرسالة اليومية.
account-notice-feed-off = أوقفت خلاصتك الخاصة، ولم يعد عنوانها يعمل.

## Form fields

account-email-label = البريد الإلكتروني
account-new-email-label = البريد الإلكتروني الجديد
account-password-label = كلمة المرور
account-your-password-label = كلمة مرورك
account-current-password-label = كلمة المرور الحالية
account-new-password-label = كلمة المرور الجديدة
account-new-password-again-label = أعد كتابة كلمة المرور الجديدة
account-new-password-hint = عشرة أحرف على الأقل.
account-name-label = اسمك
account-name-hint = يظهر بجانب كل ما تكتبه على الموقع. 60 حرفًا على الأكثر.

## Problems with a form

account-problem-email = اكتب عنوان بريد إلكتروني مثل name@example.org.
account-problem-email-missing = اكتب عنوان بريدك الإلكتروني.
account-problem-password-missing = اكتب كلمة المرور.
account-problem-name-missing = اكتب الاسم الذي سيراه القرّاء الآخرون.
account-problem-name-too-long = يجب ألا يزيد الاسم على { $max } حرفًا.
account-problem-name-no-letter = يجب أن يحتوي الاسم على حرف أو رقم واحد على الأقل.
account-problem-password-too-short = اختر كلمة مرور أخرى: يجب ألا تقل كلمة المرور عن { $min } أحرف.
account-problem-password-too-long = اختر كلمة مرور أخرى: يجب ألا يزيد طول كلمة المرور على { $max } بايت.
account-problem-passwords-differ = كلمتا المرور غير متطابقتين.
account-problem-new-passwords-differ = كلمتا المرور الجديدتان غير متطابقتين.
account-problem-not-your-password = هذه ليست كلمة مرورك.
account-problem-not-your-current-password = هذه ليست كلمة مرورك الحالية.
account-problem-same-email = هذا هو عنوانك الحالي بالفعل.
account-problem-delete-tick = ضع علامة في المربع لتؤكد أنك تدرك أن الحساب سيُحذف.
account-problem-wrong-sign-in = عنوان البريد الإلكتروني وكلمة المرور لا يطابقان حسابًا يمكنه تسجيل الدخول. إن كنت قد سجّلت للتو، فافتح أولًا الرابط الذي أرسلناه إليك بالبريد الإلكتروني.
account-problem-too-many = محاولات كثيرة في وقت قصير. حفاظًا على أمان الحسابات، يُرجى الانتظار { $count ->
        [zero] { $count } ثانية
        [one] ثانية واحدة
        [two] ثانيتين
        [few] { $count } ثوانٍ
        [many] { $count } ثانية
       *[other] { $count } ثانية
    } ثم المحاولة مجددًا.

## Sign in

account-sign-in-title = تسجيل الدخول
account-sign-in-button = سجّل الدخول
account-link-instead = أرسلوا إليّ رابطًا لتسجيل الدخول بدلًا من ذلك
account-forgotten-password = نسيت كلمة المرور؟
account-create-account = أنشئ حسابًا
account-staff-sign-in = دخول فريق التحرير من هنا
account-sign-in-with-password = سجّل الدخول بكلمة المرور
account-link-title = تسجيل الدخول برابط عبر البريد الإلكتروني
account-link-lead = اكتب عنوان البريد الإلكتروني لحسابك، وسنرسل إليك رابطًا يُدخلك إلى الموقع دون كلمة المرور.
account-link-button = أرسلوا إليّ رابطًا
account-link-use-lead = اضغط الزر لتسجيل الدخول إلى { $site }.

## Register and verify

account-register-title = إنشاء حساب
account-register-lead = يتيح لك الحساب تسجيل الدخول إلى الموقع. سنرسل إليك رابطًا بالبريد الإلكتروني لتأكيد عنوانك.
account-register-button = أنشئ الحساب
account-have-account = لديك حساب بالفعل؟ سجّل الدخول
account-check-email-title = تحقق من بريدك الإلكتروني
account-check-email-lead = نرسل الآن رسالة إلى { $email }. افتح الرابط الذي فيها لتتابع؛ فهو يعمل مرة واحدة ولفترة محدودة.
account-check-email-spam = إن لم تصلك الرسالة خلال دقائق، فابحث عنها في مجلد الرسائل غير المرغوب فيها، وتأكد من العنوان، ثم حاول مجددًا.
account-go-home = انتقل إلى الصفحة الرئيسية
account-verify-title = أكّد عنوان بريدك الإلكتروني
account-verify-lead = اضغط الزر لتؤكد أن هذا عنوانك وتسجّل الدخول.
account-verify-button = أكّد عنواني

## A mailed link that no longer works

account-link-gone-title = هذا الرابط لم يعد يعمل
account-link-gone-lead = كل رابط نرسله بالبريد الإلكتروني يعمل مرة واحدة، وهذا النوع منها لمدة { $lifetime } فقط. ربما استُخدم هذا الرابط من قبل، أو انتهت صلاحيته، أو لم يُنسخ كاملًا.
account-lifetime-verify = 48 ساعة
account-lifetime-sign-in = 15 دقيقة
account-lifetime-reset = ساعة واحدة
account-lifetime-change-email = 24 ساعة
account-link-gone-ask = يمكنك طلب رابط جديد:
account-link-gone-sign-in = أرسلوا إليّ رابطًا لتسجيل الدخول

## Reset a password

account-reset-title = اختر كلمة مرور جديدة
account-reset-lead = اكتب عنوان البريد الإلكتروني لحسابك، وسنرسل إليك رابطًا لاختيار كلمة مرور جديدة.
account-new-password-lead = تحل كلمة المرور الجديدة محل القديمة، ويُسجَّل خروجك من كل مكان سجّلت الدخول منه.
account-new-password-button = احفظ كلمة المرور الجديدة

## Your account

account-settings-title = حسابك
account-settings-signed-in-as = سجّلت الدخول باسم { $name }، بعنوان البريد الإلكتروني { $email }.
account-settings-created-on = أُنشئ حسابك في { $date }.
account-settings-my-news = أخباري
account-settings-what-you-follow = ما تتابعه
account-settings-what-you-follow-rest = : الأقسام والمناطق والموضوعات والرسالة اليومية وخلاصتك الخاصة
account-settings-your-name = اسمك
account-settings-save-name = احفظ الاسم
account-settings-your-email = بريدك الإلكتروني
account-settings-email-intro = عنوانك الحالي هو { $email }. سنرسل رابطًا إلى العنوان الجديد، ولن يتغيّر عنوانك إلا عندما تفتح الرابط.
account-settings-change-email = غيّر البريد الإلكتروني
account-settings-your-password = كلمة المرور
account-settings-password-intro = تغييرها يُخرجك من كل مكان آخر سجّلت الدخول منه.
account-settings-change-password = غيّر كلمة المرور
account-settings-data-heading = بياناتك
account-settings-data-intro = كل ما نحتفظ به عن حسابك في ملف JSON: بياناتك، والأماكن التي سجّلت الدخول منها، والروابط التي أرسلناها إليك بالبريد الإلكتروني.
account-settings-data-download = نزّل بياناتك
account-settings-delete-heading = احذف حسابك
account-settings-delete-intro = سيُحذف حسابك وكل ما فيه فورًا ونهائيًا. نزّل بياناتك أولًا إن أردت الاحتفاظ بها.
account-settings-delete-confirm = أدرك أن حسابي سيُحذف نهائيًا
account-settings-delete-button = احذف حسابي
account-settings-sign-out = تسجيل الخروج
account-email-confirm-title = أكّد عنوان بريدك الإلكتروني الجديد
account-email-confirm-lead = اضغط الزر ليصبح هذا العنوان هو البريد الإلكتروني لحسابك.
account-email-confirm-button = استخدم هذا العنوان
account-email-taken-title = لهذا العنوان حساب بالفعل
account-email-taken-lead = يستخدم حساب آخر عنوان البريد الإلكتروني هذا، فلا يمكن أن يصبح عنوان حسابك. يحتفظ حسابك بعنوانه الحالي.

## Saved stories

account-saved-title = الموضوعات المحفوظة
account-saved-empty = ليست لديك موضوعات محفوظة. اختر «احفظه لوقت لاحق» في أي موضوع لتجده هنا.
account-saved-no-more = لا توجد موضوعات محفوظة أخرى.
account-saved-back-to-newest = العودة إلى الأحدث
account-saved-count = { $count ->
        [zero] لا توجد موضوعات محفوظة
        [one] موضوع محفوظ واحد
        [two] موضوعان محفوظان
        [few] { $count } موضوعات محفوظة
        [many] { $count } موضوعًا محفوظًا
       *[other] { $count } موضوع محفوظ
    }، الأحدث حفظًا أولًا.
account-saved-meta = { $section }. حُفظ في { $date }
account-saved-remove = إزالة
account-saved-pages-label = صفحات الموضوعات المحفوظة
account-saved-newer = موضوعات محفوظة أحدث
account-saved-older = موضوعات محفوظة أقدم
account-saved-full = لقد حفظت { $max } موضوع، وهو أقصى ما يحتفظ به الحساب. أزل بعضها لتحفظ غيرها.

## My news

account-my-news-title = أخباري
account-my-news-empty = لا تتابع شيئًا بعد. اختر الأقسام والمناطق والموضوعات التي تهمك، وستجد آخر أخبارها هنا.
account-my-news-choose = اختر ما تتابعه
account-my-news-following = آخر الموضوعات مما تتابعه: { $list }.
account-list-separator = {"، "}
account-my-news-change = غيّر ما تتابعه
account-my-news-change-rest = ، أو الرسالة اليومية، أو خلاصتك الخاصة.
account-my-news-nothing-new = لا جديد فيما تتابعه حاليًا.
account-my-news-latest = آخر الموضوعات

## What you follow

account-following-title = ما تتابعه
account-following-intro = تجد موضوعات الأقسام والمناطق والموضوعات التي تتابعها في { $myNews }، وفي خلاصتك الخاصة، وفي رسالتك اليومية بالبريد الإلكتروني. لا يرى ما تتابعه أحد سواك.
account-following-sections = الأقسام
account-following-sections-hint = متابعة قسم تشمل الأقسام المتفرعة منه.
account-following-regions = المناطق
account-following-topics = الموضوعات
account-following-no-topics = لا تتابع أي موضوع بعد. الموضوع عبارة بحث، وما تجده من موضوعات يظهر في «أخباري».
account-following-state = تتابعه
account-following-follow = تابِع
account-following-stop = أوقف المتابعة
account-following-topic-label = تابع موضوعًا
account-following-topic-hint = كلمات و"عبارات" و-استثناءات، كما في خانة البحث: الموضوعات المطابقة تظهر في «أخباري».
account-following-topic-button = تابع هذا الموضوع
account-following-topics-full = أنت تتابع { $max ->
        [zero] { $max } موضوع
        [one] موضوعًا واحدًا
        [two] موضوعين
        [few] { $max } موضوعات
        [many] { $max } موضوعًا
       *[other] { $max } موضوع
    }، وهو الحد الأقصى: أوقف متابعة أحدها لتضيف موضوعًا آخر.
account-following-daily = الرسالة اليومية
account-following-daily-intro = نرسل إليك مرة واحدة في اليوم، في الساعة التي تختارها، أهم موضوعات اليوم السابق مما تتابعه. إذا لم يكن هناك جديد فلن تصلك رسالة. وفي كل رسالة رابط لإيقاف الرسائل.
account-following-daily-at = أرسلها الساعة
account-following-daily-hint = الأوقات حسب المنطقة الزمنية: { $zone }. إذا كانت الساعة الجديدة قد مضت اليوم، فستبدأ الرسائل غدًا.
account-following-daily-none = بلا رسالة يومية
account-following-daily-save = احفظ إعدادات الرسالة اليومية
account-following-feed = خلاصتك الخاصة
account-following-feed-intro = «أخباري» في صورة خلاصة Atom لبرامج قراءة الخلاصات. عنوانها سري: من يعرفه يستطيع أن يرى ما تتابعه، فلا تعطه لأحد.
account-following-feed-fresh = عنوان خلاصتك أدناه. انسخه الآن إلى برنامج قراءة الخلاصات: حرصًا على أمانك لا نحتفظ إلا ببصمة منه، ولا نستطيع عرضه مرة أخرى.
account-following-feed-made-on = لديك عنوان خلاصة خاصة أُنشئ في { $date }.
account-following-feed-renew = أنشئ عنوانًا جديدًا
account-following-feed-off = أوقف الخلاصة
account-following-feed-hint = العنوان الجديد يوقف القديم فورًا، وإيقاف الخلاصة يوقفها نهائيًا.
account-following-feed-new = أنشئ عنوان خلاصة خاصة
account-following-my-news = أخباري
account-following-your-account = حسابك
account-problem-topic-empty = اكتب كلمة أو عبارة لتتابعها، مثل الميزانية أو "محادثات المناخ".
account-problem-topic-too-long = يجب ألا يزيد الموضوع على { $max } حرف.
account-problem-topic-too-many-words = في هذا البحث كلمات كثيرة: استخدم { $max } كلمة أو عبارة على الأكثر.
account-problem-topic-unclosed-quote = علامة تنصيص لم تُغلق: ضع العبارات بين علامتي تنصيص، مثل "محادثات المناخ".
account-problem-topic-only-exclusions = أضف كلمة واحدة على الأقل للبحث عنها: علامة الطرح تستبعد كلمة فقط، كما في الميزانية -الضرائب.
account-problem-topic-no-words = اكتب كلمة أو كلمتين للبحث عنهما.
account-problem-topic-followed = أنت تتابع هذا الموضوع بالفعل.
account-problem-topic-limit = يمكنك متابعة { $max } موضوعات على الأكثر: أوقف متابعة أحدها أولًا.
account-problem-hour = اختر ساعة من القائمة، أو «بلا رسالة يومية».

## Stopping the daily e-mail from its link

account-unsubscribe-title = هل تريد إيقاف الرسالة اليومية؟
account-unsubscribe-lead = اضغط الزر لإيقاف الرسالة اليومية التي تصلك بالموضوعات التي تتابعها. يمكنك إعادة تشغيلها من حسابك في أي وقت.
account-unsubscribe-button = أوقف الرسالة اليومية
account-unsubscribe-done-title = لن تصلك رسائل يومية بعد الآن
account-unsubscribe-done-lead = أُوقفت الرسالة اليومية. لإعادة تشغيلها، اختر ساعة في صفحة «ما تتابعه» في حسابك.
account-unsubscribe-broken-title = هذا الرابط لا يعمل
account-unsubscribe-broken-lead = رابط إلغاء الاشتراك هذا ليس من الروابط التي أرسلناها، أو أنه قديم جدًا. لإيقاف الرسالة اليومية، سجّل الدخول واختر «بلا رسالة يومية» في صفحة «ما تتابعه».
