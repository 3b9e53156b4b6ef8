using System.Diagnostics;
using System.Globalization;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Telemetry.Testing;

/// <summary>
/// A private Dovecot (IMAP, IMAPS, LMTP) on free loopback ports, with its configuration, certificate, logs and mail
/// in a temp folder that is removed on dispose. Two users share the password <see cref="Password"/>:
/// <see cref="Username"/> and <see cref="AlertsUsername"/>. Starting takes a fraction of a second, stopping about
/// 2.5 s, so one server per fixture class (<c>[OneTimeSetUp]</c>) is the intended use. Needs root: Dovecot switches
/// to the <c>mail</c> user to store mail.
/// </summary>
public sealed partial class DovecotServer : IDisposable
{
    public const string ReportsUser = "reports@test.local";
    public const string AlertsUser = "alerts@test.local";
    public const string SharedPassword = "secret";

    private const int StartAttempts = 3;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(30);
    private static readonly string[] RequiredTools = ["dovecot", "doveadm", "openssl"];

    private readonly TempFolder directory = new();
    private readonly string dovecot;
    private readonly string doveadm;
    private readonly string configPath;
    private readonly string pidPath;
    private readonly string startOutputPath;

    /// <summary>Creates the instance and starts it; fails the calling test when Dovecot is not installed.</summary>
    public DovecotServer(DovecotMailStore mailStore = DovecotMailStore.Maildir)
    {
        Require();
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("The test Dovecot runs on Linux only");
        }

        dovecot = ExternalCommand.Find("dovecot")!;
        doveadm = ExternalCommand.Find("doveadm")!;
        MailStore = mailStore;
        InstanceName = "telemetry-test-" + Guid.NewGuid().ToString("N")[..12];
        configPath = directory.File("dovecot.conf");
        pidPath = Path.Combine(directory.Path, "run", "master.pid");
        startOutputPath = directory.File("start.out");
        LogPath = directory.File("dovecot.log");
        try
        {
            PrepareFolders();
            CertificateSha256 = CreateCertificate();
            File.WriteAllText(directory.File("users"), $"{ReportsUser}:{{PLAIN}}{SharedPassword}\n{AlertsUser}:{{PLAIN}}{SharedPassword}\n");
            StartOnFreePorts();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string Host { get; } = "127.0.0.1";

    /// <summary>Plaintext IMAP (Dovecot also offers STARTTLS there: connect with <c>SecureSocketOptions.None</c>).</summary>
    public int ImapPort { get; private set; }

    /// <summary>IMAP over TLS from the first byte (<c>SecureSocketOptions.SslOnConnect</c>).</summary>
    public int ImapsPort { get; private set; }

    /// <summary>LMTP delivery into the users' INBOX (see <see cref="SmtpRelay"/> for SMTP).</summary>
    public int LmtpPort { get; private set; }

    /// <summary>SHA-256 thumbprint of the self-signed server certificate, upper-case hex, for pinning.</summary>
    public string CertificateSha256 { get; } = string.Empty;

    public string Username { get; } = ReportsUser;

    public string AlertsUsername { get; } = AlertsUser;

    public string Password { get; } = SharedPassword;

    public DovecotMailStore MailStore { get; }

    public string InstanceName { get; }

    /// <summary>The folder holding one home per user (<c>MailDirectory/USER/Maildir</c> or <c>.../mdbox</c>).</summary>
    public string MailDirectory => directory.File("mail");

    /// <summary>Dovecot's log file, for diagnosing a failing test.</summary>
    public string LogPath { get; }

    public bool IsRunning => File.Exists(pidPath);

    /// <summary>Fails the calling test (never ignores it) when the Dovecot tools are missing.</summary>
    public static void Require()
    {
        var missing = RequiredTools.Where(tool => ExternalCommand.Find(tool) is null).ToList();
        if (missing.Count > 0)
        {
            throw new ServerMissingException(
                $"The IMAP integration tests need a real Dovecot, but {string.Join(", ", missing)} is not installed. "
                + "./test.sh installs it when missing; by hand: apt-get install -y --no-install-recommends dovecot-imapd dovecot-lmtpd openssl");
        }
    }

    /// <summary>Starts the stopped server on the same ports with the same mail.</summary>
    public void Start()
    {
        if (IsRunning)
        {
            throw new InvalidOperationException($"Dovecot {InstanceName} is already running");
        }

        // dovecot daemonizes and its log process keeps the inherited stderr open: send it to a file, not a pipe.
        try
        {
            ExternalCommand.Run("/bin/sh", ["-c", "exec \"$0\" -c \"$1\" >\"$2\" 2>&1", dovecot, configPath, startOutputPath], StartTimeout);
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException($"dovecot -c {configPath} failed: {ReadOrEmpty(startOutputPath)}\n{LogTail()}", e);
        }

        foreach (var port in new[] { ImapPort, ImapsPort, LmtpPort })
        {
            if (!LoopbackPort.WaitUntilListening(port, StartTimeout))
            {
                Stop();
                throw new TimeoutException($"Dovecot {InstanceName} did not listen on port {port} within {StartTimeout.TotalSeconds} s.\n{LogTail()}");
            }
        }
    }

    /// <summary>Stops the server (clients see "Server shutting down"), killing it if it does not stop in time.</summary>
    public void Stop()
    {
        var masterPid = ReadMasterPid();
        if (masterPid is null)
        {
            return;
        }

        try
        {
            ExternalCommand.Run(doveadm, ["-c", configPath, "stop"], StopTimeout);
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            // The pid file check below kills the master if it is still there.
        }

        var stopwatch = Stopwatch.StartNew();
        while (File.Exists(pidPath) && stopwatch.Elapsed < StopTimeout)
        {
            Thread.Sleep(20);
        }

        if (File.Exists(pidPath))
        {
            KillMaster(masterPid.Value);
            File.Delete(pidPath);
        }
    }

    /// <summary>Stop then start: same ports, same mail. For outage tests.</summary>
    public void Restart()
    {
        Stop();
        Start();
    }

    /// <summary>The last lines of Dovecot's log.</summary>
    public string LogTail(int lines = 30)
    {
        var log = ReadOrEmpty(LogPath).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return $"Last lines of {LogPath}:\n" + string.Join('\n', log.TakeLast(lines));
    }

    public void Dispose()
    {
        try
        {
            Stop();
        }
        finally
        {
            directory.Dispose();
        }
    }

    private static string ReadOrEmpty(string path) => File.Exists(path) ? File.ReadAllText(path) : string.Empty;

    [UnsupportedOSPlatform("windows")]
    private static void AllowTraversal(string folder)
    {
        File.SetUnixFileMode(folder, File.GetUnixFileMode(folder) | UnixFileMode.OtherExecute);
    }

    private static void KillMaster(int pid)
    {
        try
        {
            using var master = Process.GetProcessById(pid);
            if (master.ProcessName == "dovecot")
            {
                master.Kill(entireProcessTree: true);
                master.WaitForExit(StopTimeout);
            }
        }
        catch (ArgumentException)
        {
            // Already gone.
        }
    }

    [UnsupportedOSPlatform("windows")]
    private void PrepareFolders()
    {
        // Dovecot's unprivileged users (dovenull, dovecot, mail) must traverse every folder down to the
        // passwd file and the mail, or logins fail with "Temporary authentication failure".
        for (var folder = Path.GetDirectoryName(directory.Path); !string.IsNullOrEmpty(folder); folder = Path.GetDirectoryName(folder))
        {
            if (!File.GetUnixFileMode(folder).HasFlag(UnixFileMode.OtherExecute))
            {
                throw new InvalidOperationException($"{folder} is not traversable by other users (o+x), so Dovecot cannot reach its files under {directory.Path}; set TMPDIR to another folder");
            }
        }

        var mail = MailDirectory;
        foreach (var folder in new[] { directory.Path, directory.File("run"), directory.File("state"), mail })
        {
            Directory.CreateDirectory(folder);
            AllowTraversal(folder);
        }

        ExternalCommand.Run("chown", ["mail:mail", mail], ToolTimeout);
    }

    private string CreateCertificate()
    {
        var certificate = directory.File("cert.pem");
        ExternalCommand.Run(
            ExternalCommand.Find("openssl")!,
            [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", directory.File("key.pem"), "-out", certificate, "-days", "30",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
            ],
            ToolTimeout);
        using var loaded = X509Certificate2.CreateFromPem(File.ReadAllText(certificate));
        return loaded.GetCertHashString(HashAlgorithmName.SHA256);
    }

    private void StartOnFreePorts()
    {
        for (var attempt = 1; ; attempt++)
        {
            var ports = LoopbackPort.Free(3);
            (ImapPort, ImapsPort, LmtpPort) = (ports[0], ports[1], ports[2]);
            File.WriteAllText(configPath, Configuration());
            try
            {
                Start();
                return;
            }
            catch (InvalidOperationException) when (attempt < StartAttempts && ReadOrEmpty(startOutputPath).Contains("Address already in use", StringComparison.Ordinal))
            {
                // Another process took a port between picking and binding it: pick new ones.
            }
        }
    }

    private int? ReadMasterPid()
    {
        try
        {
            return int.TryParse(File.ReadAllText(pidPath).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private string Configuration()
    {
        var root = directory.Path;
        var mailLocation = MailStore switch
        {
            DovecotMailStore.Maildir => "maildir:~/Maildir",
            DovecotMailStore.Mdbox => "mdbox:~/mdbox",
            _ => throw new InvalidOperationException($"Unknown mail store {MailStore}"),
        };
        return $$"""
            instance_name = {{InstanceName}}
            base_dir = {{root}}/run
            state_dir = {{root}}/state
            log_path = {{LogPath}}
            listen = {{Host}}
            protocols = imap lmtp

            ssl = yes
            ssl_cert = <{{root}}/cert.pem
            ssl_key = <{{root}}/key.pem
            disable_plaintext_auth = no
            auth_mechanisms = plain login

            passdb {
              driver = passwd-file
              args = scheme=PLAIN {{root}}/users
            }
            userdb {
              driver = static
              args = uid=mail gid=mail home={{root}}/mail/%u
            }
            # Debian's mail user is uid 8: without this, LOGIN succeeds and then "initialization failed".
            first_valid_uid = 8
            mail_uid = mail
            mail_gid = mail
            mail_location = {{mailLocation}}

            service imap-login {
              inet_listener imap {
                port = {{ImapPort}}
              }
              inet_listener imaps {
                port = {{ImapsPort}}
                ssl = yes
              }
            }
            service lmtp {
              inet_listener lmtp {
                port = {{LmtpPort}}
              }
            }

            """;
    }
}
