using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Telemetry.Core.Alerts;

/// <summary>The SMTP server's certificate check, as for IMAP: exactly the pinned certificate, or the system's validation.</summary>
internal static class SmtpCertificate
{
    public static bool Validate(string? pinnedThumbprint, X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (pinnedThumbprint is { } pinned)
        {
            if (certificate is null)
            {
                return false;
            }

            var actual = Convert.ToHexString(SHA256.HashData(certificate.GetRawCertData()));
            return string.Equals(actual, pinned.Replace(":", string.Empty, StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
        }

        return errors == SslPolicyErrors.None;
    }
}
