# Readers' account pages (/account… in every edition), the reader's corner of the
# masthead and its "Sign in" link, in British English: word for word what the
# English pages said before they were translated. ar/account.ftl and
# ru/account.ftl have exactly the same ids. Conventions as in site.ftl.

## The masthead: templates/base.html, templates/_reader_corner.html, templates/account/layout.html

# Masthead link for a reader who is not signed in.
account-sign-in-link = Sign in
account-reader-signed-in-as = Signed in as { $name }
account-reader-your-account = Your account
account-reader-saved-stories = Saved stories
account-reader-my-news = My news
account-reader-sign-out = Sign out

## Confirmations after an action (?done=…): src/web/readers/{mod,saved,following}.rs

account-notice-verified = Your e-mail address is verified. Welcome!
account-notice-signed-in = You are signed in.
account-notice-signed-out = You have signed out.
account-notice-name = Your name has been changed.
account-notice-password = Your password has been changed. Anywhere else you were signed in has been signed out.
account-notice-reset = Your new password is set and you are signed in. Anywhere else you were signed in has been signed out.
account-notice-email-sent = We have e-mailed a link to your new address. Your address changes when you follow it.
account-notice-email-changed = Your e-mail address has been changed.
account-notice-deleted = Your account and everything in it have been deleted.
account-notice-story-saved = The story is saved.
account-notice-story-removed = The story was removed from your saved stories.
account-notice-followed = You now follow it. Its stories are in My news.
account-notice-unfollowed = You no longer follow it.
account-notice-topic = You now follow that topic. Its stories are in My news.
account-notice-topic-removed = You no longer follow that topic.
account-notice-daily = The daily e-mail is set.
account-notice-daily-off = You will not get the daily e-mail.
account-notice-feed-off = Your private feed is turned off: its address no longer works.

## Form fields: src/web/readers/views.rs, register.rs, sign_in.rs, reset.rs, settings.rs

account-email-label = E-mail address
account-new-email-label = New e-mail address
account-password-label = Password
account-your-password-label = Your password
account-current-password-label = Current password
account-new-password-label = New password
account-new-password-again-label = New password again
account-new-password-hint = At least 10 characters.
account-name-label = Your name
account-name-hint = Shown beside anything you write on the site. Up to 60 characters.

## Problems with a form: src/web/readers/problems.rs and the handlers

account-problem-email = Enter an e-mail address like name@example.org.
account-problem-email-missing = Enter your e-mail address.
account-problem-password-missing = Enter your password.
account-problem-name-missing = Enter the name other readers will see.
# $max is 60.
account-problem-name-too-long = The name can be at most { $max } characters long.
account-problem-name-no-letter = The name needs at least one letter or digit.
# $min is 10.
account-problem-password-too-short = Choose another password: the password must be at least { $min } characters long.
# $max is 1024.
account-problem-password-too-long = Choose another password: the password must be at most { $max } bytes long.
account-problem-passwords-differ = The two passwords are not the same.
account-problem-new-passwords-differ = The two new passwords are not the same.
account-problem-not-your-password = That is not your password.
account-problem-not-your-current-password = That is not your current password.
account-problem-same-email = That is already your address.
account-problem-delete-tick = Tick the box to say you understand the account will be deleted.
# Every refused sign-in, so it never says whether an account exists.
account-problem-wrong-sign-in = That e-mail address and password do not match an account that can sign in. If you have just registered, follow the link we e-mailed you first.
account-problem-too-many = Too many attempts in a short time. To keep accounts safe, please wait { $count ->
        [one] { $count } second
       *[other] { $count } seconds
    } and try again.

## Sign in: src/web/readers/sign_in.rs

account-sign-in-title = Sign in
account-sign-in-button = Sign in
account-link-instead = E-mail me a link to sign in instead
account-forgotten-password = Forgotten your password?
account-create-account = Create an account
account-staff-sign-in = Newsroom staff sign in here
account-sign-in-with-password = Sign in with your password
account-link-title = Sign in with an e-mailed link
account-link-lead = Give the address of your account and we will e-mail you a link that signs you in without your password.
account-link-button = E-mail me a link
account-link-use-lead = Press the button to sign in to { $site }.

## Register and verify: src/web/readers/register.rs

account-register-title = Create an account
account-register-lead = With an account you can sign in to the site. We will e-mail you a link to confirm your address.
account-register-button = Create account
account-have-account = Already have an account? Sign in
account-check-email-title = Check your e-mail
account-check-email-lead = We are sending a message to { $email }. Follow the link in it to carry on; it works once, and only for a while.
account-check-email-spam = If nothing arrives within a few minutes, look in your spam folder, check the address, and try again.
account-go-home = Go to the home page
account-verify-title = Confirm your e-mail address
account-verify-lead = Press the button to confirm this is your address and sign in.
account-verify-button = Confirm my address

## A mailed link that no longer works: src/web/readers/links.rs

account-link-gone-title = This link no longer works
# $lifetime is one of the account-lifetime-* messages.
account-link-gone-lead = Each link we e-mail works once, and this kind only for { $lifetime }. This one has been used already, has expired, or was not copied in full.
account-lifetime-verify = 48 hours
account-lifetime-sign-in = 15 minutes
account-lifetime-reset = one hour
account-lifetime-change-email = 24 hours
account-link-gone-ask = You can ask for a new one:
account-link-gone-sign-in = E-mail me a link to sign in

## Reset a password: src/web/readers/reset.rs

account-reset-title = Choose a new password
account-reset-lead = Give the address of your account and we will e-mail you a link to choose a new password.
account-new-password-lead = Your new password replaces the old one, and anywhere you are signed in is signed out.
account-new-password-button = Set my new password

## Your account: templates/account/settings.html, src/web/readers/settings.rs

account-settings-title = Your account
account-settings-signed-in-as = You are signed in as { $name }, with the e-mail address { $email }.
account-settings-created-on = Your account was created on { $date }.
account-settings-my-news = My news
account-settings-what-you-follow = What you follow
# After the "What you follow" link.
account-settings-what-you-follow-rest = : sections, regions, topics, the daily e-mail and your private feed
account-settings-your-name = Your name
account-settings-save-name = Save name
account-settings-your-email = Your e-mail address
account-settings-email-intro = Your address is { $email }. We will e-mail a link to the new address, and your address changes when you follow it.
account-settings-change-email = Change e-mail address
account-settings-your-password = Your password
account-settings-password-intro = Changing it signs you out anywhere else you are signed in.
account-settings-change-password = Change password
account-settings-data-heading = Your data
account-settings-data-intro = Everything we keep about your account, as a JSON file: your details, where you are signed in, and the links we have e-mailed you.
account-settings-data-download = Download your data
account-settings-delete-heading = Delete your account
account-settings-delete-intro = This deletes your account and everything in it at once, for good. Download your data first if you want to keep it.
account-settings-delete-confirm = I understand that my account will be deleted for good
account-settings-delete-button = Delete my account
account-settings-sign-out = Sign out
account-email-confirm-title = Confirm your new e-mail address
account-email-confirm-lead = Press the button to make this the e-mail address of your account.
account-email-confirm-button = Use this address
account-email-taken-title = That address has an account already
account-email-taken-lead = Another account uses this e-mail address, so it cannot become the address of yours. Your account keeps its address.

## Saved stories: templates/account/saved.html, src/web/readers/saved.rs

account-saved-title = Saved stories
account-saved-empty = You have no saved stories. Choose “Save for later” on any story to keep it here.
account-saved-no-more = There are no more saved stories.
account-saved-back-to-newest = Back to the newest
account-saved-count = { $count ->
        [one] One saved story
       *[other] { $count } saved stories
    }, newest saved first.
# "Europe. Saved 15:04 GMT, Sunday, 8 February 2009"; $date arrives as a <time> element.
account-saved-meta = { $section }. Saved { $date }
account-saved-remove = Remove
account-saved-pages-label = Pages of saved stories
account-saved-newer = Newer saved stories
account-saved-older = Older saved stories
account-saved-full = You have saved { $max } stories, the most an account keeps. Remove some to save more.

## My news: templates/account/my_news.html

account-my-news-title = My news
account-my-news-empty = You follow nothing yet. Choose the sections, regions and topics you want, and their latest stories will be here.
account-my-news-choose = Choose what to follow
# $list is the names of what the reader follows, joined by account-list-separator.
account-my-news-following = The latest stories from what you follow: { $list }.
account-list-separator = {", "}
account-my-news-change = Change what you follow
# After the "Change what you follow" link.
account-my-news-change-rest = , your daily e-mail or your private feed.
account-my-news-nothing-new = Nothing new in what you follow just now.
account-my-news-latest = Latest stories

## What you follow: templates/account/following.html, templates/account/_follow_choice.html, src/web/readers/following.rs

account-following-title = What you follow
# Wraps a link to My news ($myNews).
account-following-intro = Stories from the sections, regions and topics you follow are in { $myNews }, in its private feed and in your daily e-mail. Only you can see what you follow.
account-following-sections = Sections
account-following-sections-hint = Following a section takes in the sections under it.
account-following-regions = Regions
account-following-topics = Topics
account-following-no-topics = You follow no topics yet. A topic is a search: the stories it finds are in My news.
account-following-state = Following
account-following-follow = Follow
account-following-stop = Stop following
account-following-topic-label = Follow a topic
account-following-topic-hint = Words, "phrases" and -exclusions, as in the search box: the stories that match are in My news.
account-following-topic-button = Follow this topic
account-following-topics-full = You follow { $max } topics, the most there can be: stop following one to add another.
account-following-daily = Daily e-mail
account-following-daily-intro = Once a day, at the hour you choose, we e-mail you the top stories of the last day in what you follow. A day with nothing new brings no e-mail. Every e-mail has a link that stops them.
account-following-daily-at = Send it at
account-following-daily-hint = Times are { $zone }. A new hour that has already passed today starts tomorrow.
account-following-daily-none = No daily e-mail
account-following-daily-save = Save the daily e-mail
account-following-feed = Your private feed
account-following-feed-intro = My news as an Atom feed, for a feed reader. Its address is secret: anyone who has it can read what you follow, so give it to no one.
account-following-feed-fresh = Your feed’s address is below. Copy it into your feed reader now: for your safety we keep only a fingerprint of it and cannot show it again.
account-following-feed-made-on = You have a private feed address, made on { $date }.
account-following-feed-renew = Make a new address
account-following-feed-off = Turn off the feed
account-following-feed-hint = A new address stops the old one at once; turning the feed off stops it for good.
account-following-feed-new = Make a private feed address
account-following-my-news = My news
account-following-your-account = Your account
account-problem-topic-empty = Type a word or phrase to follow, like budget or "climate talks".
# $max is 100.
account-problem-topic-too-long = A topic can be at most { $max } characters long.
account-problem-topic-too-many-words = That search has too many words: please use at most { $max } words or phrases.
account-problem-topic-unclosed-quote = A quotation mark is not closed: put phrases between two quotation marks, like "climate talks".
account-problem-topic-only-exclusions = Add at least one word to find: a minus sign only leaves a word out, as in budget -tax.
account-problem-topic-no-words = Type a word or two to search for.
account-problem-topic-followed = You already follow that topic.
account-problem-topic-limit = You can follow at most { $max } topics: stop following one first.
account-problem-hour = Choose an hour from the list, or no daily e-mail.

## Stopping the daily e-mail from its link: src/web/readers/unsubscribe.rs

account-unsubscribe-title = Stop the daily e-mail?
account-unsubscribe-lead = Press the button to stop the daily e-mail of the stories you follow. You can start it again from your account at any time.
account-unsubscribe-button = Stop the daily e-mail
account-unsubscribe-done-title = You will get no more daily e-mails
account-unsubscribe-done-lead = The daily e-mail is stopped. To start it again, choose an hour under What you follow in your account.
account-unsubscribe-broken-title = This link does not work
account-unsubscribe-broken-lead = This unsubscribe link is not one we sent, or it is too old. To stop the daily e-mail, sign in and choose “No daily e-mail” under What you follow.
