using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Telemetry.Core.Alerts;

namespace Telemetry.Tests.Alerts;

public sealed class SmtpCertificateTests
{
    [Test]
    public void Validate_PinnedThumbprint_AcceptsExactlyThatCertificate_SystemValidationOtherwise()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=smtp.test.local", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var pin = Convert.ToHexString(SHA256.HashData(certificate.RawData));
        var colons = string.Join(':', Enumerable.Range(0, 32).Select(i => pin.Substring(i * 2, 2))).ToLowerInvariant();

        Assert.Multiple(() =>
        {
            Assert.That(SmtpCertificate.Validate(pin, certificate, SslPolicyErrors.RemoteCertificateChainErrors), Is.True, "pinned: self-signed accepted");
            Assert.That(SmtpCertificate.Validate(colons, certificate, SslPolicyErrors.RemoteCertificateChainErrors), Is.True, "pin with colons, lower case");
            Assert.That(SmtpCertificate.Validate(new string('0', 64), certificate, SslPolicyErrors.None), Is.False, "another pin refuses even a valid certificate");
            Assert.That(SmtpCertificate.Validate(pin, null, SslPolicyErrors.RemoteCertificateNotAvailable), Is.False);
            Assert.That(SmtpCertificate.Validate(null, certificate, SslPolicyErrors.RemoteCertificateChainErrors), Is.False, "unpinned: the system decides");
            Assert.That(SmtpCertificate.Validate(null, certificate, SslPolicyErrors.RemoteCertificateNameMismatch), Is.False);
            Assert.That(SmtpCertificate.Validate(null, certificate, SslPolicyErrors.None), Is.True);
        });
    }
}
