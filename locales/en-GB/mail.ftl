## Readers' e-mails: src/web/edition_mail.rs (what every e-mail shares),
## src/web/readers/mail.rs (account e-mails), src/scheduler/daily.rs (the daily
## e-mail). Plain text, one paragraph a message: the links, the stories and the
## signature ("-- ", the site name, its address) are put around them in Rust.
## The English text is word for word what the e-mails said before there were editions.

mail-hello = Hello,

# How long a mailed link works, as "The link works once, for …" says it.
mail-lifetime-verify = 48 hours
mail-lifetime-sign-in = 15 minutes
mail-lifetime-reset = one hour
mail-lifetime-change-email = 24 hours

# The link that verifies a new account's address.
mail-verify-subject = Confirm your e-mail address for { $site }
mail-verify-intro = To finish creating your { $site } account, confirm that this is your e-mail address by opening this link:
mail-verify-outro = The link works once, for { $lifetime }. If you did not ask for an account, ignore this message: nothing happens without the link.

# Sent instead of a verification link when the address already has an account; $url is the reset page.
mail-already-subject = You already have a { $site } account
mail-already-intro = Someone, perhaps you, tried to create a { $site } account with this e-mail address, which already has one. Nothing has changed.
mail-already-sign-in = If it was you, sign in with this link (it works once, for { $lifetime }):
mail-already-outro = or choose a new password at { $url } if you have forgotten yours. If it was not you, ignore this message.

mail-sign-in-subject = Your link to sign in to { $site }
mail-sign-in-intro = Open this link to sign in to { $site } without your password:
mail-sign-in-outro = The link works once, for { $lifetime }. If you did not ask for it, ignore this message: nobody can sign in without the link.

mail-reset-subject = Choose a new password for { $site }
mail-reset-intro = Open this link to choose a new password for your { $site } account:
mail-reset-outro = The link works once, for { $lifetime }. Your password stays as it is until you choose a new one; if you did not ask for this, ignore this message.

# To the new address: the link that makes it the account's address.
mail-change-email-subject = Confirm your new e-mail address for { $site }
mail-change-email-intro = To use this address for your { $site } account, open this link:
mail-change-email-outro = The link works once, for { $lifetime }. Until then your account keeps its old address. If you did not ask for this, ignore this message.

# To the old address, once the new one ($email) is confirmed.
mail-email-changed-subject = Your { $site } e-mail address has changed
mail-email-changed-text = The e-mail address of your { $site } account is now { $email }; this address no longer signs in to it. If you did not make this change, reply to this message or write to the site's editors at once.

# The daily e-mail: $date is today's date in the edition's language and zone, $name the reader's name.
mail-daily-subject = Your news from { $site }, { $date }
mail-daily-hello = Hello { $name },
mail-daily-intro = The top stories of the last day in what you follow on { $site }:
mail-daily-change = Change what you follow, or the hour of this e-mail: { $url }
mail-daily-stop = Stop these e-mails: { $url }

## The account page's choice of the e-mails' language: templates/account/_email_language.html,
## src/web/readers/email_language.rs. The list shows each edition's language by its own name.

mail-language-heading = Language of our e-mails
mail-language-intro = We write the e-mails we send you (links to sign in, notes about your account, the daily e-mail) in this language, and their links lead to that edition of the site.
mail-language-label = Language
mail-language-button = Save the language
mail-language-unknown = Choose a language from the list.
# $language is the language's name in itself ("العربية", "Русский").
mail-language-saved = Our e-mails to you will now be in { $language }.
