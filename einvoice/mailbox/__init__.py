"""Where invoices come from: IMAP mailbox, Maildir, drop folder."""
