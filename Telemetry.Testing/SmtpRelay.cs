using System.Diagnostics;
using System.Text;

namespace Telemetry.Testing;

/// <summary>
/// An SMTP server on a free loopback port (Debian's aiosmtpd, no TLS, no AUTH) that delivers each message to a
/// Dovecot LMTP listener, so mail sent to a test user can be read back over IMAP. A message is accepted (250) only
/// after Dovecot stored it. Dispose kills it.
/// </summary>
public sealed class SmtpRelay : IDisposable
{
    /// <summary>Debian's interpreter: the first python3 on PATH may be another one that lacks the aiosmtpd package.</summary>
    public const string Python = "/usr/bin/python3";

    private const int StartAttempts = 3;
    private const string HandlerModule = "lmtp_relay";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(10);

    /// <summary>aiosmtpd calls <c>from_cli</c> with the arguments after <c>-c module.Class</c>.</summary>
    private const string HandlerSource = """
        import asyncio
        import smtplib
        import sys


        class LmtpRelay:
            def __init__(self, host, port):
                self.host = host
                self.port = int(port)

            @classmethod
            def from_cli(cls, parser, *args):
                if len(args) != 2:
                    parser.error("LmtpRelay needs the LMTP host and port")
                return cls(*args)

            async def handle_DATA(self, server, session, envelope):
                return await asyncio.get_running_loop().run_in_executor(None, self.deliver, envelope)

            def deliver(self, envelope):
                # One LMTP transaction per recipient: smtplib reads a single reply after DATA, LMTP sends one per recipient.
                for recipient in envelope.rcpt_tos:
                    try:
                        with smtplib.LMTP(self.host, self.port, timeout=30) as lmtp:
                            lmtp.sendmail(envelope.mail_from, [recipient], envelope.original_content)
                    except smtplib.SMTPRecipientsRefused as error:
                        print(f"LMTP refused {recipient}: {error.recipients}", file=sys.stderr, flush=True)
                        return "550 LMTP refused the recipient"
                    except (OSError, smtplib.SMTPException) as error:
                        print(f"LMTP delivery to {recipient} failed: {error!r}", file=sys.stderr, flush=True)
                        return "451 LMTP delivery failed"
                return "250 Delivered"

        """;

    private readonly TempFolder directory = new();
    private readonly StringBuilder output = new();
    private Process? process;

    /// <summary>Starts a relay to the server's LMTP port.</summary>
    public SmtpRelay(DovecotServer dovecot)
        : this(dovecot.Host, dovecot.LmtpPort)
    {
    }

    /// <summary>Starts a relay to an LMTP listener; fails the calling test when aiosmtpd is not installed.</summary>
    public SmtpRelay(string lmtpHost, int lmtpPort)
    {
        Require();
        try
        {
            File.WriteAllText(directory.File(HandlerModule + ".py"), HandlerSource);
            StartOnFreePort(lmtpHost, lmtpPort);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string Host { get; } = "127.0.0.1";

    public int Port { get; private set; }

    /// <summary>What aiosmtpd and the handler printed, for diagnosing a failing test.</summary>
    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    /// <summary>Fails the calling test (never ignores it) when Debian's python3 or its aiosmtpd package is missing.</summary>
    public static void Require()
    {
        const string install = "./test.sh installs it when missing; by hand: apt-get install -y --no-install-recommends python3-aiosmtpd";
        if (!File.Exists(Python))
        {
            throw new ServerMissingException($"The SMTP integration tests need {Python} with aiosmtpd. {install}");
        }

        try
        {
            ExternalCommand.Run(Python, ["-c", "import aiosmtpd"], StartTimeout);
        }
        catch (InvalidOperationException e)
        {
            throw new ServerMissingException($"The SMTP integration tests need the aiosmtpd package of {Python} ({e.Message}). {install}");
        }
    }

    public void Dispose()
    {
        if (process is not null)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
            }

            process.Dispose();
            process = null;
        }

        directory.Dispose();
    }

    private void StartOnFreePort(string lmtpHost, int lmtpPort)
    {
        for (var attempt = 1; ; attempt++)
        {
            Port = LoopbackPort.Free(1)[0];
            process = StartProcess(lmtpHost, lmtpPort);
            var started = process;
            if (LoopbackPort.WaitUntilListening(Port, StartTimeout, () => started.HasExited))
            {
                return;
            }

            var addressInUse = Output.Contains("Address already in use", StringComparison.Ordinal);
            if (!started.HasExited)
            {
                started.Kill(entireProcessTree: true);
            }

            started.WaitForExit();
            started.Dispose();
            process = null;
            if (!addressInUse || attempt == StartAttempts)
            {
                throw new InvalidOperationException($"aiosmtpd did not listen on {Host}:{Port} within {StartTimeout.TotalSeconds} s:\n{Output}");
            }
        }
    }

    private Process StartProcess(string lmtpHost, int lmtpPort)
    {
        var start = new ProcessStartInfo(Python)
        {
            WorkingDirectory = directory.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-m", "aiosmtpd", "-n", "-l", $"{Host}:{Port}", "-c", HandlerModule + ".LmtpRelay", lmtpHost, lmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["PYTHONPATH"] = directory.Path;
        start.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        start.Environment["PYTHONUNBUFFERED"] = "1";
        var started = new Process { StartInfo = start };
        started.OutputDataReceived += (_, e) => Append(e.Data);
        started.ErrorDataReceived += (_, e) => Append(e.Data);
        started.Start();
        started.BeginOutputReadLine();
        started.BeginErrorReadLine();
        return started;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }
}
