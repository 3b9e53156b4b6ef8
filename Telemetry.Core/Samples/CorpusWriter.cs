using System.Globalization;
using System.Text;

namespace Telemetry.Core.Samples;

/// <summary>Writes generated messages as a Maildir, a directory of .eml files, or an mbox file.</summary>
public static class CorpusWriter
{
    private static readonly byte[] FromLine = "From "u8.ToArray();

    /// <summary>
    /// Creates <c>cur/</c>, <c>new/</c> and <c>tmp/</c> and puts each message in <c>new/</c> under a unique name
    /// (arrival time, then position), with the file time set to the arrival time.
    /// </summary>
    public static void WriteMaildir(string directory, IEnumerable<GeneratedMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        foreach (var sub in new[] { "cur", "new", "tmp" })
        {
            Directory.CreateDirectory(Path.Combine(directory, sub));
        }

        var i = 0;
        foreach (var message in messages)
        {
            var seconds = message.ArrivedAt?.ToUnixTimeSeconds() ?? 0;
            var path = Path.Combine(directory, "new", string.Create(CultureInfo.InvariantCulture, $"{seconds}.M{i:D7}P1.telemetry-samples"));
            File.WriteAllBytes(path, message.Content);
            if (message.ArrivedAt is { } arrived)
            {
                File.SetLastWriteTimeUtc(path, arrived.UtcDateTime);
            }

            i++;
        }
    }

    /// <summary>Writes <c>NNNNN-name.eml</c> files, numbered from 1 in delivery order.</summary>
    public static void WriteEmlDirectory(string directory, IEnumerable<GeneratedMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        Directory.CreateDirectory(directory);
        var i = 0;
        foreach (var message in messages)
        {
            i++;
            File.WriteAllBytes(Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"{i:D5}-{message.Name}.eml")), message.Content);
        }
    }

    /// <summary>
    /// Writes an mbox in the mboxrd flavour: each message after a <c>From </c> separator line, and every body line
    /// matching <c>^&gt;*From </c> escaped with one more <c>&gt;</c>, so readers can undo it exactly.
    /// </summary>
    public static void WriteMbox(string path, IEnumerable<GeneratedMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        using var output = new FileStream(path, FileMode.Create, FileAccess.Write);
        foreach (var message in messages)
        {
            var at = (message.ArrivedAt ?? DateTimeOffset.UnixEpoch).UtcDateTime;
            var separator = string.Create(
                CultureInfo.InvariantCulture,
                $"From MAILER-DAEMON {at:ddd MMM} {at.Day,2} {at:HH:mm:ss yyyy}\n");
            output.Write(Encoding.ASCII.GetBytes(separator));
            WriteEscaped(output, message.Content);
            output.WriteByte((byte)'\n');
        }
    }

    private static void WriteEscaped(Stream output, byte[] content)
    {
        var start = 0;
        while (start < content.Length)
        {
            var end = Array.IndexOf(content, (byte)'\n', start);
            var next = end < 0 ? content.Length : end + 1;
            var line = content.AsSpan(start, next - start);
            var quotes = 0;
            while (quotes < line.Length && line[quotes] == '>')
            {
                quotes++;
            }

            if (line[quotes..].StartsWith(FromLine))
            {
                output.WriteByte((byte)'>');
            }

            output.Write(line);
            start = next;
        }

        if (content.Length > 0 && content[^1] != '\n')
        {
            output.WriteByte((byte)'\n');
        }
    }
}
