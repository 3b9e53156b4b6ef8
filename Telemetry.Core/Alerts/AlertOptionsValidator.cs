using MimeKit;
using Telemetry.Core.Configuration;

namespace Telemetry.Core.Alerts;

/// <summary>The start-up checks of <c>Telemetry:Alerts</c>; each error names its key.</summary>
internal static class AlertOptionsValidator
{
    private const string P = TelemetryOptions.Section + ":Alerts:";

    public static void Validate(TelemetryOptions options, List<string> errors)
    {
        var a = options.Alerts;
        if (a.MaxPerHour < 1)
        {
            errors.Add($"{P}MaxPerHour must be at least 1.");
        }

        if (!a.Enabled)
        {
            return;
        }

        var s = a.Smtp;
        if (string.IsNullOrWhiteSpace(s.Host))
        {
            errors.Add($"{P}Smtp:Host is required when {P}Enabled is true.");
        }

        if (string.IsNullOrWhiteSpace(a.From))
        {
            errors.Add($"{P}From is required when {P}Enabled is true.");
        }
        else if (!IsAddress(a.From))
        {
            errors.Add($"{P}From must be one email address (name@example.com).");
        }

        if (a.To.Count == 0)
        {
            errors.Add($"{P}To must list at least one recipient when {P}Enabled is true.");
        }

        var reports = options.Mailbox.Imap.Username;
        for (var i = 0; i < a.To.Count; i++)
        {
            if (!IsAddress(a.To[i]))
            {
                errors.Add($"{P}To:{i} must be one email address (name@example.com).");
            }
            else if (!string.IsNullOrWhiteSpace(reports) && SameMailbox(a.To[i], reports))
            {
                errors.Add($"{P}To:{i} is the reports mailbox ({TelemetryOptions.Section}:Mailbox:Imap:Username): alerts must never go to the mailbox the receiver reads.");
            }
        }

        if (s.Port is < 0 or > 65535)
        {
            errors.Add($"{P}Smtp:Port must be between 1 and 65535 (0: the usual port).");
        }

        if (s.Security == SmtpSecurity.None && !s.AllowInsecure)
        {
            errors.Add($"{P}Smtp:Security is None (cleartext): set {P}Smtp:AllowInsecure to true to accept that, or use SslOnConnect or StartTls.");
        }

        if (s.CertificateThumbprint is { } t && (t.Replace(":", string.Empty, StringComparison.Ordinal).Length != 64 || !t.Replace(":", string.Empty, StringComparison.Ordinal).All(Uri.IsHexDigit)))
        {
            errors.Add($"{P}Smtp:CertificateThumbprint must be a SHA-256 thumbprint: 64 hexadecimal digits.");
        }

        if (!string.IsNullOrEmpty(s.Username) && string.IsNullOrEmpty(s.Password) && string.IsNullOrEmpty(s.PasswordFile))
        {
            errors.Add($"{P}Smtp:Password or {P}Smtp:PasswordFile (or a systemd credential) is required with {P}Smtp:Username.");
        }
    }

    /// <summary>A bare address, one only, without a display name or anything a header could not carry.</summary>
    internal static bool IsAddress(string value) =>
        !value.Any(char.IsControl)
        && MailboxAddress.TryParse(ParserOptions.Default, value, out var address)
        && string.IsNullOrEmpty(address.Name)
        && address.Address == value.Trim()
        && address.Address.IndexOf('@', StringComparison.Ordinal) is > 0 and var at
        && at < address.Address.Length - 1;

    /// <summary>
    /// The same mailbox, ignoring case, a <c>+tag</c> and, at Gmail, dots in the local part
    /// (<c>Reports+x@gmail.com</c> and <c>r.eports@gmail.com</c> both reach <c>reports@gmail.com</c>).
    /// </summary>
    internal static bool SameMailbox(string a, string b) =>
        string.Equals(Normalize(a), Normalize(b), StringComparison.OrdinalIgnoreCase);

    private static string Normalize(string address)
    {
        var at = address.Trim().LastIndexOf('@');
        if (at <= 0)
        {
            return address.Trim();
        }

        var local = address.Trim()[..at];
        var domain = address.Trim()[(at + 1)..].ToLowerInvariant();
        var plus = local.IndexOf('+', StringComparison.Ordinal);
        if (plus > 0)
        {
            local = local[..plus];
        }

        if (domain is "gmail.com" or "googlemail.com")
        {
            local = local.Replace(".", string.Empty, StringComparison.Ordinal);
            domain = "gmail.com";
        }

        return local + "@" + domain;
    }
}
