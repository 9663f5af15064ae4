# Dateline public chrome: every piece of interface text a reader sees, in British English.
# This file is the source of truth: ar/site.ftl and ru/site.ftl have exactly the same ids.
#
# Conventions (see locales/README.md):
#   - ids are kebab-case, prefixed by page area (page-, nav-, article-, live-, search-…);
#   - $site is the edition's site name, $name a person's display name, $count/$total
#     numbers (always pass them as numbers so that plural selectors work);
#   - $time, $date and $stamp are already formatted, in the edition's language and time
#     zone (ICU4X), and may arrive wrapped in a <time> element: the caller escapes;
#   - text in a message is plain text: the caller escapes it before it goes into HTML.

## Page skeleton: templates/base.html (every public page)

# The first link on the page, visible on keyboard focus.
skip-to-content = Skip to main content
# <title> of pages with a title of their own: "Storm Hedda… - Dateline".
page-title = { $title } - { $site }
# Label of the masthead's search box.
site-search-label = Search { $site }
# Button of the masthead's search box.
site-search-button = Search
# aria-label of the main navigation.
nav-main-label = { $site } navigation
# First link of the main navigation.
nav-home = Home
# aria-label of the regional navigation.
nav-regions-label = World regions
# Footer, before the "Read more." link.
footer-copyright = Copyright © { $year } { $site }. { $site } is not responsible for the content of external sites.
# Footer link to /about/editorial-policy.
footer-read-more = Read more.
# Footer notice, shown only when style sheets are off.
footer-css-notice = This page is best viewed in an up-to-date web browser with style sheets (CSS) enabled. While you will be able to view the content of this page in your current browser, you will not be able to get the full visual experience. Please consider upgrading your browser software or enabling style sheets (CSS) if you are able to do so.

## Breaking news banner: templates/_breaking_news.html; title of its event stream in templates/article.html; static/live.js

breaking-news = Breaking news

## Story lists and top stories: templates/_story_list.html, templates/_top_story.html

# Flag before the headline of a running live page.
live-flag = Live

## Front page: templates/front.html; feed title: src/web/feeds.rs, src/web/views.rs

front-title = { $site } - Home
front-description = The latest news from { $site }.
# Visually hidden <h1> of the front page.
front-heading = { $site }: top stories
front-empty = No stories have been published yet.
# Title of the site-wide RSS/Atom feed.
feed-top-stories-title = { $site } - Top stories
# Title of a section's feed.
feed-section-title = { $site } - { $section }
# RSS <description> of any feed; $title is the feed's title.
feed-description = The latest stories from { $title }

## Section fronts: templates/section.html

section-description = The latest { $section } news from { $site }.
# aria-label of the list of a section's sub-sections.
section-subsections-label = { $section } sections
section-empty = There are no { $section } stories yet.

## Article page: templates/_story_core.html, templates/article.html, src/web/views.rs

# $time is the long stamp, e.g. "15:04 GMT, Sunday, 8 February 2009".
page-last-updated = Page last updated at { $time }
# Label above the headline of a running live page.
article-live-label = Live
article-print = Print
article-history = History of this story
# Link to the comments page while comments are open.
article-comments-open = Have your say
# Link to the comments page once comments are closed.
article-comments-closed = Read the comments
# The whole comments link: "Have your say: 3 comments".
article-comments-link = { $label }: { $count ->
        [one] { $count } comment
       *[other] { $count } comments
    }
# aria-label and visible label of the advertising slot.
article-sponsor = Sponsor
related-heading = Related links
related-more-from = More from { $site }
related-internet-links = Related internet links
related-disclaimer = { $site } is not responsible for the content of external internet sites
# Site-wide promos at the foot of articles.
promos-heading = Features
# templates/_corrections.html and templates/story_history.html
corrections-heading = Corrections
# templates/_translations.html: above the links to the story in the other editions,
# each named in its own language.
translations-heading = Read this in

## Save for later: templates/_save_story.html

save-story-saved = Saved
save-story-remove = Remove from saved stories
save-story-your-saved = Your saved stories
save-story-save = Save for later

## Live pages: templates/_live.html, src/web/live_page.rs, src/web/html/live.rs, src/web/live_posts.rs, static/live.js

live-ended-heading = This live page has ended
live-key-points = Key points
# Visually hidden heading above the posts; also the title of the page's event stream.
live-updates-heading = Live updates
live-older-posts = Older posts
live-show-new-posts = Show new posts
live-back-to-latest = Back to the latest posts
# Label on a pinned post (src/web/html/live.rs).
live-key-point = Key point
# Title of a post that has no words, only a picture; $time is e.g. "14:32 GMT".
live-update-at = Update at { $time }
# <link rel=alternate> title of the live page's Atom feed.
live-feed-link-title = { $site } - { $headline }: live updates (Atom)
# Title of the live page's Atom feed itself (src/web/feeds.rs).
live-feed-title = { $site } - Live: { $headline }
# Screen-reader announcements made by static/live.js.
live-announce-new-post = New post: { $text }
live-announce-ended = This live page has ended.

## Print view: templates/print.html

print-title = { $headline } - { $site } (print version)
print-source = Printed from { $url }
print-copyright = Copyright © { $year } { $site }. { $site } is not responsible for the content of external sites.

## Story history: templates/story_history.html, src/web/public/article.rs, src/web/live_page.rs

history-title = History: { $headline } - { $site }
history-heading = History of this story
history-intro = Every version of this story that was published, newest first, with what changed from the version before. Drafts and unpublished edits are never shown.
history-live-heading = Live page updates
history-live-intro = Every change to a published post, newest first. The text of a deleted post is not shown.
# Kinds of version.
history-first-published = First published
history-minor-correction = Minor correction to the text
history-updated = Updated
# Fields compared between versions.
history-field-headline = Headline
history-field-summary = Summary
history-field-text = Text
# Changes to a live page's posts.
history-live-published = Post published
history-live-edited = Post edited
history-live-pinned = Pinned as a key point
history-live-unpinned = No longer a key point
history-live-deleted = Post deleted
history-live-ended = Live page ended

## Comments: templates/comments.html, templates/_comment.html, src/web/comments_page.rs, src/web/readers/comments.rs

comments-title = Comments: { $headline } - { $site }
comments-heading = Have your say
# Heading of a form's list of problems (also templates/account/_problems.html).
problem-heading = There is a problem
comment-label = Your comment
comment-hint = Plain text, up to { $max ->
        [one] { $max } character
       *[other] { $max } characters
    }. Web addresses become links.
comment-hint-premoderated = A moderator checks every comment before it appears.
comment-hint-postmoderated = Comments appear at once; a moderator may remove them.
comment-post = Post your comment
# "Sign in to have your say or create an account." $signIn and $register are the two links.
comment-sign-in = { $signIn } or { $register }.
comment-sign-in-link = Sign in to have your say
comment-register-link = create an account
comments-closed = Comments on this story are closed.
# Heading above the comments.
comments-count = { $count ->
        [one] { $count } comment
       *[other] { $count } comments
    }
# "Show: newest first | oldest first"; one of the two is a link.
comments-order = Show: { $newest } | { $oldest }
comments-newest-first = newest first
comments-oldest-first = oldest first
comments-none-yet = No comments yet.
comments-none-on-page = No comments on this page.
# "Reply" is visible; the rest is for screen readers only.
comment-reply = Reply
comment-reply-hidden = to { $name }
comment-reply-label = Your reply
comment-reply-post = Post your reply
comment-report = Report
comment-report-hidden = this comment by { $name }
reply-report-hidden = this reply by { $name }
comment-report-reason = Why should a moderator look at it?
comment-replies-label = Replies to { $name }
comments-pages-label = Pages of comments
comments-previous = Previous comments
comments-more = More comments
comment-notice-posted = Your comment is published.
comment-notice-pending = Thank you. Your comment will appear once a moderator has checked it.
comment-notice-reported = Thank you. A moderator will look at the comment you reported.
comment-problem-parent-gone = The comment you replied to is no longer shown.
comment-problem-empty = Write your comment before posting it.
# The limit is written out as the page's hint writes it; $count is the comment's length.
comment-problem-too-long = A comment can be at most 2,000 characters long; this one has { $count }.
comment-refused-off = This story does not take comments.
comment-refused-closed = Comments on this story are closed.
comment-refused-unverified = Verify your e-mail address before you comment: follow the link we e-mailed you.
comment-refused-banned = You can no longer comment: a moderator has barred your account.
# $reason is the moderator's own words.
comment-refused-banned-reason = You can no longer comment: a moderator has barred your account ({ $reason }).
## Search: templates/search.html, src/web/search.rs

search-title = Search - { $site }
search-title-query = { $query } - Search - { $site }
search-heading = Search
search-for = Search for
search-button = Search
search-narrow = Narrow your search
search-section = Section
search-all-sections = All sections
search-published-from = Published from
search-published-to = to
# The quotation marks and the minus sign are search syntax: keep them as ASCII " and -.
search-help = Put phrases in quotation marks ("climate talks") and a minus sign before a word to leave it out (budget -tax).
search-results-for = Results for “{ $query }”
search-no-results = No stories match your search. Try fewer or different words.
search-count = Showing { $first }–{ $last } of { $total } { $total ->
        [one] story
       *[other] stories
    }
# When there are too many results to count exactly.
search-count-capped = Showing { $first }–{ $last } of { $total } or more stories
search-pages-label = Search result pages
search-previous-page = Previous page
search-next-page = Next page
# Problems with the search form. $field is search-field-from or search-field-to.
search-error-date = The { $field } date should look like 2026-11-29, not “{ $value }”.
search-field-from = from
search-field-to = to
search-error-date-range = That date is out of range.
search-error-no-section = There is no section called “{ $section }”.
search-error-empty = Type a word or two to search for.
search-error-too-long = That search is too long: please use at most { $max } characters.
search-error-too-many = That search has too many words: please use at most { $max } words or phrases.
# The quotation marks and the minus sign are search syntax: keep them as ASCII " and -.
search-error-unclosed-quote = A quotation mark is not closed: put phrases between two quotation marks, like "climate talks".
search-error-only-exclusions = Add at least one word to find: a minus sign only leaves a word out, as in budget -tax.
search-error-page = page must be a whole number from 1 to { $max }.

## Editorial policy: templates/policy.html

policy-title = Editorial policy
policy-links-heading = Links to other web sites
policy-links-text = { $site } links to other web sites where they help readers understand a story. We choose these links because they are relevant, but { $site } is not responsible for the content of external sites, and a link is not an endorsement.
policy-corrections-heading = Corrections and updates
policy-corrections-text = Every article shows when it was last updated. When we correct a mistake we say so on the article, with the date of the correction.
policy-times-heading = Dates and times
# $zone is the edition's time zone.
policy-times-text = Times on this site are given in { $zone }.

## Error pages: templates/error.html, src/web/error.rs

error-home-link = Go to the { $site } home page
# 404
error-not-found-title = Page not found
error-not-found-text = Sorry, we could not find that page. It may have moved, or the address may be mistyped.
# 410: a story that was killed
error-gone-title = Story removed
error-gone-text = This story has been removed and is no longer available.
# 500 and any other error
error-server-title = Something went wrong
error-server-text = Sorry, something went wrong on our side. Please try again in a moment.
# 503: the database does not answer
error-unavailable-title = Temporarily unavailable
error-unavailable-text = This page cannot be shown just now because our database is not answering. Nothing you saved is lost; please try again in a few seconds.
# 403 from a stale or forged form
error-form-expired-title = Form expired
error-form-expired-text = This form has expired or did not come from this site, so nothing was changed. Go back, reload the page and try again.
# 403 otherwise
error-forbidden-title = Not allowed
error-forbidden-text = Your account is not allowed to do that. Ask an editor or an administrator if you think it should be.
# A write refused while the site is read-only; the text comes with the refusal.
error-not-saved-title = Not saved
error-not-saved-disk-full = The database could not save this: the disk it is stored on is full. Nothing was changed. Keep a copy of your text and tell the site's administrators; reading the site still works.
error-not-saved-read-only = The database could not save this: it is read-only just now. Nothing was changed. Keep a copy of your text and tell the site's administrators; reading the site still works.
