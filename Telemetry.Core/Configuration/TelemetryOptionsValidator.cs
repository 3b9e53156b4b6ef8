using Microsoft.Extensions.Options;
using Telemetry.Core.Alerts;

namespace Telemetry.Core.Configuration;

/// <summary>Checks the configuration at start-up; each failure names the key to fix.</summary>
public sealed class TelemetryOptionsValidator : IValidateOptions<TelemetryOptions>
{
    public ValidateOptionsResult Validate(string? name, TelemetryOptions options)
    {
        var errors = new List<string>();
        const string P = TelemetryOptions.Section + ":";
        if (string.IsNullOrWhiteSpace(options.Database))
        {
            errors.Add($"{P}Database must name the database file.");
        }

        var m = options.Mailbox;
        if (m.Kind is MailboxKind.Maildir or MailboxKind.Directory && string.IsNullOrWhiteSpace(m.Path))
        {
            errors.Add($"{P}Mailbox:Path is required when {P}Mailbox:Kind is {m.Kind}.");
        }

        if (m.Kind == MailboxKind.Imap)
        {
            var i = m.Imap;
            if (string.IsNullOrWhiteSpace(i.Host))
            {
                errors.Add($"{P}Mailbox:Imap:Host is required when {P}Mailbox:Kind is Imap.");
            }

            if (string.IsNullOrWhiteSpace(i.Username))
            {
                errors.Add($"{P}Mailbox:Imap:Username is required when {P}Mailbox:Kind is Imap.");
            }

            if (i.Authentication == ImapAuthentication.Password && string.IsNullOrEmpty(i.Password) && string.IsNullOrEmpty(i.PasswordFile))
            {
                errors.Add($"{P}Mailbox:Imap:Password or {P}Mailbox:Imap:PasswordFile (or a systemd credential) is required.");
            }

            if (i.Authentication == ImapAuthentication.GoogleOAuth2)
            {
                if (string.IsNullOrWhiteSpace(i.OAuth2.ClientId) || (string.IsNullOrEmpty(i.OAuth2.ClientSecret) && string.IsNullOrEmpty(i.OAuth2.ClientSecretFile)))
                {
                    errors.Add($"{P}Mailbox:Imap:OAuth2:ClientId and {P}Mailbox:Imap:OAuth2:ClientSecret (or ClientSecretFile) are required with GoogleOAuth2.");
                }

                if (string.IsNullOrWhiteSpace(i.OAuth2.TokenFile))
                {
                    errors.Add($"{P}Mailbox:Imap:OAuth2:TokenFile is required with GoogleOAuth2: run 'telemetry auth google' once to create it.");
                }
            }

            if (i.Port is < 0 or > 65535)
            {
                errors.Add($"{P}Mailbox:Imap:Port must be between 1 and 65535 (0: the usual port).");
            }

            if (i.Security == ImapSecurity.None && !i.AllowInsecure)
            {
                errors.Add($"{P}Mailbox:Imap:Security is None (cleartext): set {P}Mailbox:Imap:AllowInsecure to true to accept that, or use SslOnConnect or StartTls.");
            }

            if (i.CertificateThumbprint is { } t && (t.Replace(":", string.Empty, StringComparison.Ordinal).Length != 64 || !t.Replace(":", string.Empty, StringComparison.Ordinal).All(Uri.IsHexDigit)))
            {
                errors.Add($"{P}Mailbox:Imap:CertificateThumbprint must be a SHA-256 thumbprint: 64 hexadecimal digits.");
            }

            if (string.IsNullOrWhiteSpace(i.Folder))
            {
                errors.Add($"{P}Mailbox:Imap:Folder must name the folder to read (INBOX).");
            }
        }

        var f = m.Folders;
        foreach (var (key, value) in new[] { ("Processed", f.Processed), ("Invalid", f.Invalid), ("Unsupported", f.Unsupported), ("Ignored", f.Ignored), ("Failed", f.Failed) })
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                errors.Add($"{P}Mailbox:Folders:{key} must name a folder.");
            }
        }

        if (m.KeepProcessedDays < 1)
        {
            errors.Add($"{P}Mailbox:KeepProcessedDays must be at least 1.");
        }

        if (m.PollInterval < TimeSpan.FromSeconds(1) || m.IdleRefresh < TimeSpan.FromSeconds(1))
        {
            errors.Add($"{P}Mailbox:PollInterval and {P}Mailbox:IdleRefresh must be at least one second.");
        }

        var l = options.Limits;
        if (l.MaxMessageBytes < 1024 || l.MaxAttachmentBytes < 1024 || l.MaxHeaderBytes < 1024 || l.MaxParts < 1 || l.MaxDepth is < 2 or > 64)
        {
            errors.Add($"{P}Limits: MaxMessageBytes, MaxAttachmentBytes and MaxHeaderBytes must be at least 1024, MaxParts at least 1, MaxDepth between 2 and 64.");
        }

        if (options.Retention.DataRetention < TimeSpan.FromDays(1) || options.Retention.DataRetention > TimeSpan.FromDays(730))
        {
            errors.Add($"{P}Retention:DataRetention must be between 1 day and 730 days: the privacy policy keeps nothing longer than 2 years.");
        }

        if (options.Retention.AuditRetention < TimeSpan.FromDays(1) || options.Retention.AuditRetention > TimeSpan.FromDays(3650))
        {
            errors.Add($"{P}Retention:AuditRetention must be between 1 day and 3650 days.");
        }

        AlertOptionsValidator.Validate(options, errors);

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
