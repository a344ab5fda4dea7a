"""Twitter/X: the Account Activity webhook's door (door) and what a signed payload says
(webhook); its messages are answered as SMS ones are (services.intake.sms.conversation)."""
