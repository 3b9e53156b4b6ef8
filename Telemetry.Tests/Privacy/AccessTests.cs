using System.Diagnostics;
using Telemetry.Core.Storage;
using Telemetry.Tests.TestSupport;

namespace Telemetry.Tests.Privacy;

/// <summary>The operating system keeps analytics from accounts that may not see them, and says so in one sentence.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class AccessTests
{
    private static string Run(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return output.Trim();
    }

    [Test]
    public void NewDatabase_KeyAndFolder_AreOwnerOnly()
    {
        using var dir = new TempDirectory();
        var db = Path.Combine(dir.Path, "data", "t.db");
        using var open = TelemetryDatabase.Open(db);

        Assert.Multiple(() =>
        {
            Assert.That(File.GetUnixFileMode(Path.GetDirectoryName(db)!), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
            Assert.That(File.GetUnixFileMode(db), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
            Assert.That(File.GetUnixFileMode(db + "-wal") & ~(UnixFileMode.UserRead | UnixFileMode.UserWrite), Is.EqualTo(UnixFileMode.None));
            Assert.That(File.GetUnixFileMode(Path.ChangeExtension(db, ".key")), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        });
    }

    [Test]
    public void WithAnAnalyticsGroup_TheGroupGetsTheFilesAndTheKeyReadOnly()
    {
        var group = Run("id", "-gn");
        using var dir = new TempDirectory();
        var db = Path.Combine(dir.Path, "data", "t.db");
        TelemetryDatabase.Open(db, group: group).Dispose();

        Assert.That(Run("stat", "-c", "%G %a", db), Is.EqualTo($"{group} 660"));
        Assert.That(Run("stat", "-c", "%G %a", Path.GetDirectoryName(db)!), Is.EqualTo($"{group} 770"));
        Assert.That(Run("stat", "-c", "%G %a", Path.ChangeExtension(db, ".key")), Is.EqualTo($"{group} 640"));
    }

    [Test]
    public void UnknownGroup_IsRefusedNamingIt()
    {
        using var dir = new TempDirectory();
        var e = Assert.Throws<InvalidOperationException>(() => TelemetryDatabase.Open(Path.Combine(dir.Path, "d", "t.db"), group: "no-such-group-xyz").Dispose());
        Assert.That(e!.Message, Does.Contain("no-such-group-xyz"));
    }

    [Test]
    public void AUserWithoutAccess_GetsOneClearSentenceNamingThePath()
    {
        using var dir = new TempDirectory();
        var folder = Path.Combine(dir.Path, "private");
        var db = Path.Combine(folder, "t.db");
        TelemetryDatabase.Open(db).Dispose();
        File.SetUnixFileMode(dir.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherExecute);

        string output;
        if (Environment.UserName == "root")
        {
            // Root reads everything: ask an account without access (Debian's "nobody") to run the program.
            var dll = Path.Combine(TestContext.CurrentContext.TestDirectory, "telemetry.dll");
            output = Run("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "env", "HOME=/tmp", "DOTNET_CLI_HOME=/tmp",
                "dotnet", dll, "stats", "summary", "--db", db);
        }
        else
        {
            File.SetUnixFileMode(folder, UnixFileMode.None);
            var error = new StringWriter();
            var exit = Telemetry.Receiver.Cli.TelemetryApp.Run(["stats", "summary", "--db", db], new Telemetry.Receiver.Cli.CliContext
            {
                Out = new StringWriter(),
                Error = error,
                OutIsTerminal = false,
                ErrorIsTerminal = false,
            });
            File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            Assert.That(exit, Is.EqualTo(1));
            output = error.ToString().Trim();
        }

        Assert.That(output, Does.StartWith("error: You ("));
        Assert.That(output, Does.Contain("may not open " + db));
        Assert.That(output, Does.Contain("In-App Analytics"));
        Assert.That(output.Split('\n'), Has.Length.EqualTo(1), "one sentence, no stack trace");
    }
}
