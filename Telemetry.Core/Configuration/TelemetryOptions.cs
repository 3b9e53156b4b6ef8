using Telemetry.Core.Alerts;
using Telemetry.Core.Ingestion;
using Telemetry.Core.Mailbox;
using Telemetry.Core.Privacy.Retention;
using Telemetry.Core.Reports;

namespace Telemetry.Core.Configuration;

/// <summary>
/// The configuration of the receiver, under the section <c>Telemetry</c>. Every key is documented in
/// <c>samples/appsettings.example.json</c>; names are a contract that scripts rely on.
/// </summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    /// <summary>The SQLite database file.</summary>
    public string Database { get; set; } = Storage.TelemetryDatabase.DefaultPath;

    /// <summary>The suppression key file; default: beside the database.</summary>
    public string? KeyFile { get; set; }

    /// <summary>The analytics group that may read the files the receiver creates; default: owner only.</summary>
    public string? Group { get; set; }

    public MailboxOptions Mailbox { get; set; } = new();

    public ExtractionLimits Limits { get; set; } = new();

    public RetentionOptions Retention { get; set; } = new();

    public Health.HealthOptions Health { get; set; } = new();

    public AlertOptions Alerts { get; set; } = new();
}

/// <summary>Which mailbox kind the service reads.</summary>
public enum MailboxKind
{
    /// <summary>A server over IMAP (Gmail today).</summary>
    Imap,

    /// <summary>A Maildir on this machine.</summary>
    Maildir,

    /// <summary>A folder of .eml files on this machine.</summary>
    Directory,
}

public sealed class MailboxOptions
{
    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan DefaultIdleRefresh = TimeSpan.FromMinutes(9);

    public MailboxKind Kind { get; set; } = MailboxKind.Maildir;

    /// <summary>The Maildir or folder, for those kinds.</summary>
    public string? Path { get; set; }

    /// <summary>For the Directory kind: the .eml files may be moved and deleted (false: read only).</summary>
    public bool AllowModify { get; set; }

    public ImapOptions Imap { get; set; } = new();

    public MailboxFolders Folders { get; set; } = new();

    /// <summary>Processed messages are deleted from the mailbox this many days after they were filed.</summary>
    public int KeepProcessedDays { get; set; } = MailboxProcessor.DefaultKeepProcessedDays;

    /// <summary>How often the whole mailbox is checked even without news (and how often a mailbox without IDLE is polled).</summary>
    public TimeSpan PollInterval { get; set; } = DefaultPollInterval;

    /// <summary>IDLE is re-issued this often (Gmail drops idle connections after about 10 minutes).</summary>
    public TimeSpan IdleRefresh { get; set; } = DefaultIdleRefresh;
}

/// <summary>How the IMAP connection is secured.</summary>
public enum ImapSecurity
{
    /// <summary>TLS from the first byte (port 993).</summary>
    SslOnConnect,

    /// <summary>STARTTLS, required: fails when the server does not offer it (port 143).</summary>
    StartTls,

    /// <summary>Cleartext: refused unless <see cref="ImapOptions.AllowInsecure"/>.</summary>
    None,
}

public sealed class ImapOptions
{
    public string? Host { get; set; }

    /// <summary>0 means the usual port of the security mode (993, or 143).</summary>
    public int Port { get; set; }

    public ImapSecurity Security { get; set; } = ImapSecurity.SslOnConnect;

    public string? Username { get; set; }

    /// <summary>The password (a Gmail app password works); prefer <see cref="PasswordFile"/> or a systemd credential.</summary>
    public string? Password { get; set; }

    /// <summary>A file holding the password (its first line).</summary>
    public string? PasswordFile { get; set; }

    /// <summary>Must be true for <see cref="ImapSecurity.None"/>; a warning is logged at every start.</summary>
    public bool AllowInsecure { get; set; }

    /// <summary>SHA-256 thumbprint (hex) of a self-signed server certificate to trust.</summary>
    public string? CertificateThumbprint { get; set; }

    public string Folder { get; set; } = "INBOX";

    /// <summary>Password (or app password), or GoogleOAuth2 (XOAUTH2 with a token from <c>telemetry auth google</c>).</summary>
    public ImapAuthentication Authentication { get; set; } = ImapAuthentication.Password;

    public GoogleOAuth2Options OAuth2 { get; set; } = new();

    public int EffectivePort => Port != 0 ? Port : Security == ImapSecurity.SslOnConnect ? 993 : 143;
}

/// <summary>How the receiver logs in to the IMAP server.</summary>
public enum ImapAuthentication
{
    /// <summary>User name and password (a Gmail app password works).</summary>
    Password,

    /// <summary>Gmail's XOAUTH2, with the refresh token stored by <c>telemetry auth google</c>.</summary>
    GoogleOAuth2,
}

/// <summary>The installed-app OAuth2 client of the Google Cloud project, and where its token is kept.</summary>
public sealed class GoogleOAuth2Options
{
    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>A file holding the client secret (its first line).</summary>
    public string? ClientSecretFile { get; set; }

    /// <summary>The token file written by <c>telemetry auth google</c> (mode 0600); refreshed by the service.</summary>
    public string? TokenFile { get; set; }
}
