"""Where reminders go: the 企业微信 and 钉钉 group robots and e-mail, each behind the one Notifier seam
(send one message, say whether the far end took it), and the run that sends a plan through them."""
