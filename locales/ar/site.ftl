# Dateline عربي: نصوص واجهة الصفحات العامة.
# المعرّفات نفسها الموجودة في en-GB/site.ftl؛ انظر الملف الإنجليزي لمعرفة موضع استخدام كل نص.
# صيغ العدد في العربية: zero (0)، one (1)، two (2)، few (3–10، 103–110…)،
# many (11–99، 111–199…)، other (100، 101، 102، 1000… والكسور).
# تُكتب الأرقام بالأرقام الغربية (0–9) كما في Dateline عربي وبي بي سي عربي.
# يجب أن تبقى خاصية العزل (use_isolating) مفعّلة في fluent-rs حتى تُعزل القيم
# اللاتينية (اسم الموقع، أسماء الأشخاص، العناوين) داخل النص العربي بعلامتي FSI/PDI.

## Page skeleton: templates/base.html

skip-to-content = انتقل إلى المحتوى الرئيسي
page-title = { $title } - { $site }
site-search-label = ابحث في { $site }
site-search-button = بحث
nav-main-label = قائمة تصفح { $site }
nav-home = الرئيسية
nav-regions-label = مناطق العالم
footer-copyright = حقوق النشر © { $year } { $site }. { $site } غير مسؤول عن محتوى المواقع الخارجية.
footer-read-more = اقرأ المزيد.
footer-css-notice = تُعرض هذه الصفحة على أفضل وجه في متصفح حديث تكون فيه أوراق الأنماط (CSS) مفعّلة. يمكنك الاطلاع على محتوى الصفحة في متصفحك الحالي، لكنك لن تتمكن من رؤيتها بتصميمها الكامل. يُرجى تحديث متصفحك أو تفعيل أوراق الأنماط (CSS) إن أمكنك ذلك.

## Breaking news banner

breaking-news = عاجل

## Story lists and top stories

live-flag = مباشر

## Front page and feeds

front-title = { $site } - الرئيسية
front-description = آخر الأخبار من { $site }.
front-heading = { $site }: أهم الأخبار
front-empty = لم يُنشر أي موضوع بعد.
feed-top-stories-title = { $site } - أهم الأخبار
feed-section-title = { $site } - { $section }
feed-description = آخر الموضوعات من { $title }

## Section fronts

section-description = آخر أخبار { $section } من { $site }.
section-subsections-label = أقسام { $section }
section-empty = لا توجد موضوعات في قسم { $section } بعد.

## Article page

page-last-updated = آخر تحديث للصفحة: { $time }
article-live-label = مباشر
article-print = طباعة
article-history = تاريخ هذا الموضوع
article-comments-open = شارك برأيك
article-comments-closed = اقرأ التعليقات
article-comments-link = { $label }: { $count ->
        [zero] لا توجد تعليقات
        [one] تعليق واحد
        [two] تعليقان
        [few] { $count } تعليقات
        [many] { $count } تعليقًا
       *[other] { $count } تعليق
    }
article-sponsor = إعلان
related-heading = روابط ذات صلة
related-more-from = المزيد من { $site }
related-internet-links = روابط ذات صلة على الإنترنت
related-disclaimer = { $site } غير مسؤول عن محتوى مواقع الإنترنت الخارجية
promos-heading = موضوعات مختارة
corrections-heading = تصحيحات
translations-heading = اقرأ هذا الموضوع بـ

## Save for later

save-story-saved = محفوظ
save-story-remove = أزِله من الموضوعات المحفوظة
save-story-your-saved = موضوعاتك المحفوظة
save-story-save = احفظه لوقت لاحق

## Live pages

live-ended-heading = انتهت هذه التغطية المباشرة
live-key-points = أبرز النقاط
live-updates-heading = تغطية مباشرة
live-older-posts = التحديثات السابقة
live-show-new-posts = اعرض التحديثات الجديدة
live-back-to-latest = العودة إلى آخر التحديثات
live-key-point = نقطة بارزة
live-update-at = تحديث الساعة { $time }
live-feed-link-title = { $site } - { $headline }: تغطية مباشرة (Atom)
live-feed-title = { $site } - مباشر: { $headline }
live-announce-new-post = تحديث جديد: { $text }
live-announce-ended = انتهت هذه التغطية المباشرة.

## Print view

print-title = { $headline } - { $site } (نسخة للطباعة)
print-source = طُبع من { $url }
print-copyright = حقوق النشر © { $year } { $site }. { $site } غير مسؤول عن محتوى المواقع الخارجية.

## Story history

history-title = التاريخ: { $headline } - { $site }
history-heading = تاريخ هذا الموضوع
history-intro = كل نسخة نُشرت من هذا الموضوع، من الأحدث إلى الأقدم، مع ما تغيّر عن النسخة التي سبقتها. لا تُعرض المسودات ولا التعديلات التي لم تُنشر.
history-live-heading = تحديثات التغطية المباشرة
history-live-intro = كل تغيير طرأ على تحديث منشور، من الأحدث إلى الأقدم. لا يُعرض نص التحديث المحذوف.
history-first-published = النشر الأول
history-minor-correction = تصحيح طفيف في النص
history-updated = تحديث
history-field-headline = العنوان
history-field-summary = الملخص
history-field-text = النص
history-live-published = نُشر التحديث
history-live-edited = عُدّل التحديث
history-live-pinned = ثُبّت بين أبرز النقاط
history-live-unpinned = أُزيل من أبرز النقاط
history-live-deleted = حُذف التحديث
history-live-ended = انتهت التغطية المباشرة

## Comments

comments-title = التعليقات: { $headline } - { $site }
comments-heading = شارك برأيك
problem-heading = هناك مشكلة
comment-label = تعليقك
comment-hint = نص عادي لا يتجاوز { $max ->
        [zero] { $max } حرف
        [one] حرفًا واحدًا
        [two] حرفين
        [few] { $max } أحرف
        [many] { $max } حرفًا
       *[other] { $max } حرف
    }. تتحول عناوين المواقع إلى روابط.
comment-hint-premoderated = يراجع مشرف كل تعليق قبل ظهوره.
comment-hint-postmoderated = تظهر التعليقات فورًا، وقد يحذفها أحد المشرفين.
comment-post = انشر تعليقك
comment-sign-in = { $signIn } أو { $register }.
comment-sign-in-link = سجّل الدخول لتشارك برأيك
comment-register-link = أنشئ حسابًا
comments-closed = أُغلق باب التعليق على هذا الموضوع.
comments-count = { $count ->
        [zero] لا توجد تعليقات
        [one] تعليق واحد
        [two] تعليقان
        [few] { $count } تعليقات
        [many] { $count } تعليقًا
       *[other] { $count } تعليق
    }
comments-order = اعرض: { $newest } | { $oldest }
comments-newest-first = الأحدث أولًا
comments-oldest-first = الأقدم أولًا
comments-none-yet = لا توجد تعليقات بعد.
comments-none-on-page = لا توجد تعليقات في هذه الصفحة.
comment-reply = ردّ
comment-reply-hidden = على { $name }
comment-reply-label = ردّك
comment-reply-post = انشر ردّك
comment-report = إبلاغ
comment-report-hidden = عن هذا التعليق الذي كتبه { $name }
reply-report-hidden = عن هذا الرد الذي كتبه { $name }
comment-report-reason = لماذا ينبغي أن يراجعه أحد المشرفين؟
comment-replies-label = الردود على { $name }
comments-pages-label = صفحات التعليقات
comments-previous = التعليقات السابقة
comments-more = المزيد من التعليقات
comment-notice-posted = نُشر تعليقك.
comment-notice-pending = شكرًا لك. سيظهر تعليقك بعد أن يراجعه أحد المشرفين.
comment-notice-reported = شكرًا لك. سيطّلع أحد المشرفين على التعليق الذي أبلغت عنه.
comment-problem-parent-gone = التعليق الذي رددت عليه لم يعد معروضًا.
comment-problem-empty = اكتب تعليقك قبل نشره.
# The limit is written out as the page's hint writes it; $count is the comment's length.
comment-problem-too-long = لا يمكن أن يزيد طول التعليق على 2000 حرف، وهذا التعليق فيه { $count } حرفًا.
comment-refused-off = لا تقبل هذه القصة التعليقات.
comment-refused-closed = أُغلق باب التعليق على هذه القصة.
comment-refused-unverified = أكّد عنوان بريدك الإلكتروني قبل أن تعلّق: اتبع الرابط الذي أرسلناه إليك بالبريد الإلكتروني.
comment-refused-banned = لم يعد بإمكانك التعليق: منع أحد المشرفين حسابك من التعليق.
# $reason is the moderator's own words.
comment-refused-banned-reason = لم يعد بإمكانك التعليق: منع أحد المشرفين حسابك من التعليق ({ $reason }).

## Search

search-title = بحث - { $site }
search-title-query = { $query } - بحث - { $site }
search-heading = بحث
search-for = ابحث عن
search-button = بحث
search-narrow = تضييق نطاق البحث
search-section = القسم
search-all-sections = كل الأقسام
search-published-from = منشور من
search-published-to = إلى
search-help = ضع العبارات بين علامتي تنصيص ("محادثات المناخ")، وضع علامة الطرح قبل الكلمة لاستبعادها (الميزانية -الضرائب).
search-results-for = نتائج البحث عن «{ $query }»
search-no-results = لا توجد موضوعات تطابق بحثك. جرّب كلمات أقل أو مختلفة.
search-count = عرض { $first }–{ $last } من أصل { $total ->
        [zero] { $total } موضوع
        [one] موضوع واحد
        [two] موضوعين
        [few] { $total } موضوعات
        [many] { $total } موضوعًا
       *[other] { $total } موضوع
    }
search-count-capped = عرض { $first }–{ $last } من أصل { $total } موضوع أو أكثر
search-pages-label = صفحات نتائج البحث
search-previous-page = الصفحة السابقة
search-next-page = الصفحة التالية
search-error-date = ينبغي أن يُكتب { $field } بالصيغة 2026-11-29، لا «{ $value }».
search-field-from = تاريخ البداية
search-field-to = تاريخ النهاية
search-error-date-range = هذا التاريخ خارج النطاق المسموح به.
search-error-no-section = لا يوجد قسم باسم «{ $section }».
search-error-empty = اكتب كلمة أو كلمتين للبحث عنهما.
search-error-too-long = عبارة البحث طويلة جدًا: يرجى ألا تتجاوز { $max } حرفًا.
search-error-too-many = في عبارة البحث كلمات كثيرة جدًا: يرجى ألا تتجاوز { $max } كلمة أو عبارة.
# The quotation marks and the minus sign are search syntax: keep them as ASCII " and -.
search-error-unclosed-quote = علامة التنصيص غير مغلقة: ضع العبارات بين علامتي تنصيص، مثل "محادثات المناخ".
search-error-only-exclusions = أضف كلمة واحدة على الأقل للبحث عنها: علامة الناقص تستبعد الكلمة فقط، كما في ميزانية -ضريبة.
search-error-page = يجب أن يكون رقم الصفحة عددًا صحيحًا من 1 إلى { $max }.

## Editorial policy

policy-title = السياسة التحريرية
policy-links-heading = الروابط إلى مواقع أخرى
policy-links-text = يضع { $site } روابط إلى مواقع أخرى حين تساعد القراء على فهم الموضوع. نختار هذه الروابط لصلتها بالموضوع، لكن { $site } غير مسؤول عن محتوى المواقع الخارجية، ولا يعني الرابط تأييدًا لها.
policy-corrections-heading = التصحيحات والتحديثات
policy-corrections-text = يُظهر كل موضوع موعد آخر تحديث له. وحين نصحح خطأً نذكر ذلك في الموضوع نفسه، مع تاريخ التصحيح.
policy-times-heading = التواريخ والأوقات
policy-times-text = الأوقات المذكورة على هذا الموقع بتوقيت { $zone }.

## Error pages

error-home-link = انتقل إلى الصفحة الرئيسية لموقع { $site }
error-not-found-title = الصفحة غير موجودة
error-not-found-text = عذرًا، لم نعثر على هذه الصفحة. ربما نُقلت إلى عنوان آخر، أو أن العنوان مكتوب بشكل خاطئ.
error-gone-title = حُذف الموضوع
error-gone-text = حُذف هذا الموضوع ولم يعد متاحًا.
error-server-title = حدث خطأ ما
error-server-text = عذرًا، حدث خطأ من جهتنا. يُرجى المحاولة مرة أخرى بعد قليل.
error-unavailable-title = الخدمة غير متاحة مؤقتًا
error-unavailable-text = لا يمكن عرض هذه الصفحة الآن لأن قاعدة بياناتنا لا تستجيب. لم يضِع شيء مما حفظته؛ يُرجى المحاولة مرة أخرى بعد ثوانٍ.
error-form-expired-title = انتهت صلاحية النموذج
error-form-expired-text = انتهت صلاحية هذا النموذج أو أنه لم يُرسل من هذا الموقع، لذا لم يتغير شيء. ارجع إلى الصفحة السابقة وأعد تحميلها ثم حاول مرة أخرى.
error-forbidden-title = غير مسموح
error-forbidden-text = لا يملك حسابك صلاحية القيام بذلك. إذا كنت ترى أنه ينبغي أن يملكها، فتواصل مع أحد المحررين أو المسؤولين عن الموقع.
error-not-saved-title = لم يُحفظ
error-not-saved-disk-full = تعذّر على قاعدة البيانات حفظ هذا: القرص المخزنة عليه ممتلئ. لم يتغير شيء. احتفظ بنسخة من نصك وأبلغ القائمين على الموقع؛ قراءة الموقع ما زالت متاحة.
error-not-saved-read-only = تعذّر على قاعدة البيانات حفظ هذا: فهي للقراءة فقط في الوقت الحالي. لم يتغير شيء. احتفظ بنسخة من نصك وأبلغ القائمين على الموقع؛ قراءة الموقع ما زالت متاحة.
