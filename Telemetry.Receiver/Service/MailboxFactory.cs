using Microsoft.Extensions.Logging;
using Telemetry.Core.Configuration;
using Telemetry.Core.Mailbox;

namespace Telemetry.Receiver.Service;

/// <summary>Makes the configured mailbox.</summary>
public static class MailboxFactory
{
    public static IMailbox Create(TelemetryOptions options, TimeProvider time, ILoggerFactory loggers)
    {
        var m = options.Mailbox;
        return m.Kind switch
        {
            MailboxKind.Maildir => new MaildirMailbox(m.Path!, m.Folders, time),
            MailboxKind.Directory when m.AllowModify => new DirectoryMailbox(m.Path!, m.Folders, time),
            MailboxKind.Directory => new ReadOnlyMailbox(new DirectoryMailbox(m.Path!, m.Folders, time)),
            _ => Imap(options, loggers),
        };
    }

    private static ImapMailbox Imap(TelemetryOptions options, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger<ImapMailbox>();
        if (options.Mailbox.Imap.Security == ImapSecurity.None)
        {
            Log.Insecure(logger);
        }

        var imap = options.Mailbox.Imap;
        IImapAuthenticator authenticator = imap.Authentication == ImapAuthentication.GoogleOAuth2
            ? new Auth.GoogleOAuth2Authenticator(imap)
            : new PasswordAuthenticator(imap.Username!, ServiceConfiguration.ImapPassword(imap));
        return new ImapMailbox(imap, options.Mailbox.Folders, authenticator, options.Mailbox.IdleRefresh, logger);
    }
}
