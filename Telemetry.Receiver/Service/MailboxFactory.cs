using Telemetry.Core.Configuration;
using Telemetry.Core.Mailbox;

namespace Telemetry.Receiver.Service;

/// <summary>Makes the configured mailbox.</summary>
public static class MailboxFactory
{
    public static IMailbox Create(TelemetryOptions options, TimeProvider time)
    {
        var m = options.Mailbox;
        return m.Kind switch
        {
            MailboxKind.Maildir => new MaildirMailbox(m.Path!, m.Folders, time),
            MailboxKind.Directory when m.AllowModify => new DirectoryMailbox(m.Path!, m.Folders, time),
            MailboxKind.Directory => new ReadOnlyMailbox(new DirectoryMailbox(m.Path!, m.Folders, time)),
            _ => throw new ConfigurationException("Telemetry:Mailbox:Kind Imap is not available in this build."),
        };
    }
}
