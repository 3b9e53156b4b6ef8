namespace Telemetry.Core.Alerts;

/// <summary>
/// The alert emails, under <c>Telemetry:Alerts</c>: a digest of new health flags sent to <see cref="To"/> through an
/// SMTP server, at most <see cref="MaxPerHour"/> emails in any rolling hour.
/// </summary>
public sealed class AlertOptions
{
    public const int DefaultMaxPerHour = 4;

    /// <summary>Off by default: nothing is queued or sent until a recipient is configured.</summary>
    public bool Enabled { get; set; }

    /// <summary>The sender address (a bare address: <c>telemetry@example.com</c>).</summary>
    public string? From { get; set; }

    /// <summary>The recipients; never the reports mailbox itself (refused at start-up).</summary>
    public List<string> To { get; set; } = [];

    /// <summary>The most emails sent in any rolling hour; waiting digests are merged into fewer emails.</summary>
    public int MaxPerHour { get; set; } = DefaultMaxPerHour;

    public SmtpOptions Smtp { get; set; } = new();
}

/// <summary>How the SMTP connection is secured (the same rules as IMAP).</summary>
public enum SmtpSecurity
{
    /// <summary>TLS from the first byte (port 465).</summary>
    SslOnConnect,

    /// <summary>STARTTLS, required: fails when the server does not offer it (port 587).</summary>
    StartTls,

    /// <summary>Cleartext: refused unless <see cref="SmtpOptions.AllowInsecure"/>.</summary>
    None,
}

/// <summary>The SMTP server the alerts go through, under <c>Telemetry:Alerts:Smtp</c>.</summary>
public sealed class SmtpOptions
{
    public string? Host { get; set; }

    /// <summary>0 means the usual port of the security mode (465 for SslOnConnect, 587 otherwise).</summary>
    public int Port { get; set; }

    public SmtpSecurity Security { get; set; } = SmtpSecurity.SslOnConnect;

    /// <summary>The login; none means no authentication.</summary>
    public string? Username { get; set; }

    /// <summary>Prefer <see cref="PasswordFile"/> or a systemd credential (Telemetry__Alerts__Smtp__Password).</summary>
    public string? Password { get; set; }

    /// <summary>A file holding the password (its first line).</summary>
    public string? PasswordFile { get; set; }

    /// <summary>Must be true for <see cref="SmtpSecurity.None"/>.</summary>
    public bool AllowInsecure { get; set; }

    /// <summary>SHA-256 thumbprint (hex) of a self-signed server certificate to trust.</summary>
    public string? CertificateThumbprint { get; set; }

    public int EffectivePort => Port != 0 ? Port : Security == SmtpSecurity.SslOnConnect ? 465 : 587;
}
