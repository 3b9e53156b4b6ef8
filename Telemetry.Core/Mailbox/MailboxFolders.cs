using System.ComponentModel.DataAnnotations;
using Telemetry.Core.Reports;

namespace Telemetry.Core.Mailbox;

/// <summary>The folder names messages are filed into (IMAP folder names; Maildir++ sub-folders use '.' for '/').</summary>
public sealed record MailboxFolders
{
    [Required]
    public string Processed { get; init; } = "Telemetry/Processed";

    [Required]
    public string Invalid { get; init; } = "Telemetry/Invalid";

    [Required]
    public string Unsupported { get; init; } = "Telemetry/Unsupported";

    [Required]
    public string Ignored { get; init; } = "Telemetry/Ignored";

    [Required]
    public string Failed { get; init; } = "Telemetry/Failed";

    public string NameOf(MailboxFolder folder) => folder switch
    {
        MailboxFolder.Processed => Processed,
        MailboxFolder.Invalid => Invalid,
        MailboxFolder.Unsupported => Unsupported,
        MailboxFolder.Ignored => Ignored,
        MailboxFolder.Failed => Failed,
        _ => throw new ArgumentOutOfRangeException(nameof(folder), folder, "Deleted messages have no folder."),
    };

    /// <summary>
    /// The folder of a message by its recorded outcome: processed for accepted and duplicate reports, set aside
    /// for invalid, unsupported and not-a-report mail, deleted when everything in it was dropped by an opt-out.
    /// </summary>
    public static MailboxFolder For(Outcome recorded) => recorded switch
    {
        Outcome.Accepted or Outcome.Duplicate => MailboxFolder.Processed,
        Outcome.Invalid => MailboxFolder.Invalid,
        Outcome.Unsupported => MailboxFolder.Unsupported,
        Outcome.NotReport => MailboxFolder.Ignored,
        Outcome.Dropped => MailboxFolder.Delete,
        _ => throw new ArgumentOutOfRangeException(nameof(recorded), recorded, null),
    };
}
