using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Telemetry.Core.Mailbox;

/// <summary>The kinds of local source <c>telemetry ingest</c> reads.</summary>
public enum FileSourceKind
{
    /// <summary>A single message file (.eml or any file that is not an mbox).</summary>
    Message,

    /// <summary>A folder of .eml files (read recursively; Maildirs and .mbox files inside are read too).</summary>
    Directory,

    /// <summary>A Maildir: cur/ and new/ (tmp/ is never read).</summary>
    Maildir,

    /// <summary>An mbox file (a Gmail Takeout export).</summary>
    Mbox,
}

/// <summary>Reads messages from files: one .eml, a folder of them, a Maildir, or an mbox.</summary>
public sealed class FileMessageSource
{
    private readonly long maxMessageBytes;

    public FileMessageSource(string path, long maxMessageBytes)
    {
        this.maxMessageBytes = maxMessageBytes;
        Path = System.IO.Path.GetFullPath(path);
        if (System.IO.Directory.Exists(Path))
        {
            Kind = IsMaildir(Path) ? FileSourceKind.Maildir : FileSourceKind.Directory;
        }
        else if (File.Exists(Path))
        {
            Kind = Path.EndsWith(".eml", StringComparison.OrdinalIgnoreCase) || !MboxReader.LooksLikeMbox(Path)
                ? FileSourceKind.Message
                : FileSourceKind.Mbox;
        }
        else
        {
            throw new FileNotFoundException($"No such file or directory: {Path}", Path);
        }
    }

    public string Path { get; }

    public FileSourceKind Kind { get; }

    /// <summary>The bytes this source will read, for progress.</summary>
    public long TotalBytes() => Files().Sum(f => new FileInfo(f.Path).Length);

    /// <summary>Every message, in a stable order (file names sorted).</summary>
    public IEnumerable<RawMessage> Read(Action<long>? bytesRead = null)
    {
        foreach (var (file, isMbox) in Files())
        {
            if (isMbox)
            {
                foreach (var message in MboxReader.Read(file, maxMessageBytes, bytesRead))
                {
                    yield return message;
                }

                continue;
            }

            yield return ReadMessageFile(file, maxMessageBytes);
            bytesRead?.Invoke(new FileInfo(file).Length);
        }
    }

    /// <summary>
    /// Reads one message file. A file over <paramref name="maxMessageBytes"/> is known from its length and never read
    /// whole: it is keyed by its size and its first and last 64 KiB (see <see cref="OversizeHash"/>), so a 1.4 GB
    /// file costs two small reads, not a pass over every byte.
    /// </summary>
    public static RawMessage ReadMessageFile(string file, long maxMessageBytes)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var size = stream.Length;
        if (size > maxMessageBytes)
        {
            return new RawMessage(file, null, size, OversizeHash(stream));
        }

        var content = new byte[size];
        stream.ReadExactly(content);
        return new RawMessage(file, content, size, MessageHasher.Hash(content));
    }

    /// <summary>The size of a sample read from each end of an oversized file.</summary>
    internal const int OversizeSampleBytes = 64 * 1024;

    /// <summary>
    /// The key of a message too large to be read: SHA-256 of <c>file-oversize:SIZE:</c>, then its first and last
    /// 64 KiB. Like IMAP's place-and-size key, it only has to tell messages apart: an oversized message is invalid,
    /// which is not a final outcome, so it is never recognised as a duplicate by this key.
    /// </summary>
    internal static byte[] OversizeHash(Stream stream)
    {
        var size = stream.Length;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"file-oversize:{size}:")));
        var buffer = new byte[OversizeSampleBytes];
        stream.Position = 0;
        hash.AppendData(buffer, 0, stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false));
        stream.Position = Math.Max(0, size - OversizeSampleBytes);
        hash.AppendData(buffer, 0, stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false));
        return hash.GetHashAndReset();
    }

    private IEnumerable<(string Path, bool IsMbox)> Files() => Kind switch
    {
        FileSourceKind.Message => [(Path, false)],
        FileSourceKind.Mbox => [(Path, true)],
        FileSourceKind.Maildir => MaildirFiles(Path),
        _ => DirectoryFiles(Path),
    };

    /// <summary>A folder with cur/ or new/ (version control drops empty folders, so one of them may be missing).</summary>
    private static bool IsMaildir(string directory) =>
        System.IO.Directory.Exists(System.IO.Path.Combine(directory, "cur"))
        || System.IO.Directory.Exists(System.IO.Path.Combine(directory, "new"));

    private static IEnumerable<(string, bool)> MaildirFiles(string root)
    {
        foreach (var sub in new[] { "cur", "new" })
        {
            var folder = System.IO.Path.Combine(root, sub);
            if (!System.IO.Directory.Exists(folder))
            {
                continue;
            }

            foreach (var file in Sorted(System.IO.Directory.EnumerateFiles(folder)))
            {
                yield return (file, false);
            }
        }

        // Maildir++ sub-folders (".Folder/cur", ...).
        foreach (var dir in Sorted(System.IO.Directory.EnumerateDirectories(root)))
        {
            var name = System.IO.Path.GetFileName(dir);
            if (name is "cur" or "new" or "tmp")
            {
                continue;
            }

            foreach (var f in IsMaildir(dir) ? MaildirFiles(dir) : DirectoryFiles(dir))
            {
                yield return f;
            }
        }
    }

    private static IEnumerable<(string, bool)> DirectoryFiles(string directory)
    {
        foreach (var file in Sorted(System.IO.Directory.EnumerateFiles(directory)))
        {
            if (file.EndsWith(".eml", StringComparison.OrdinalIgnoreCase))
            {
                yield return (file, false);
            }
            else if (file.EndsWith(".mbox", StringComparison.OrdinalIgnoreCase))
            {
                yield return (file, true);
            }
        }

        foreach (var dir in Sorted(System.IO.Directory.EnumerateDirectories(directory)))
        {
            foreach (var f in IsMaildir(dir) ? MaildirFiles(dir) : DirectoryFiles(dir))
            {
                yield return f;
            }
        }
    }

    private static IEnumerable<string> Sorted(IEnumerable<string> paths) =>
        paths.Order(StringComparer.Ordinal);
}
