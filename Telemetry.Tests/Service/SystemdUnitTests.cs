using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Telemetry.Tests.Service;

/// <summary>The sample systemd unit stays hardened: exposure 3.0 or lower, and no option that breaks .NET.</summary>
public sealed partial class SystemdUnitTests
{
    private static readonly string Unit = Path.GetFullPath(Path.Combine(TestContext.CurrentContext.TestDirectory, "..", "..", "..", "..", "samples", "telemetry.service"));

    [GeneratedRegex(@"Overall exposure level for telemetry\.service: (\d+\.\d+)")]
    private static partial Regex Exposure();

    [Test]
    public void Unit_HasAnExposureOf3OrLower()
    {
        using var process = Process.Start(new ProcessStartInfo("systemd-analyze", ["--offline=true", "security", Unit])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();

        var match = Exposure().Match(output);
        Assert.That(match.Success, Is.True, output);
        Assert.That(double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), Is.LessThanOrEqualTo(3.0));
    }

    [Test]
    public void Unit_IsANotifyServiceWithCredentialsAndWithoutMemoryDenyWriteExecute()
    {
        var text = File.ReadAllText(Unit);
        Assert.That(text, Does.Contain("Type=notify"));
        Assert.That(text, Does.Contain("Restart=on-failure"));
        Assert.That(text, Does.Contain("LoadCredential=Telemetry__Mailbox__Imap__Password:"));
        Assert.That(text, Does.Contain("StateDirectory=telemetry"));
        Assert.That(text.Split('\n').Where(l => !l.TrimStart().StartsWith('#')), Has.None.Contains("MemoryDenyWriteExecute"));
    }
}
