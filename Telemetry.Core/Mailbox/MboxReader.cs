namespace Telemetry.Core.Mailbox;

/// <summary>
/// Splits an mbox file (a Gmail Takeout export, mboxo or mboxrd) into messages while streaming:
/// a message starts at a "From " line that opens the file or follows a blank line; "&gt;From " escapes
/// lose one '&gt;'. Memory stays bounded: a message over the size limit is hashed but not kept, and a
/// very long line is handled in pieces.
/// </summary>
public static class MboxReader
{
    /// <summary>True when the file starts like an mbox file.</summary>
    public static bool LooksLikeMbox(string path)
    {
        Span<byte> head = stackalloc byte[5];
        using var stream = File.OpenRead(path);
        return stream.ReadAtLeast(head, 5, throwOnEndOfStream: false) == 5 && head.SequenceEqual("From "u8);
    }

    public static IEnumerable<RawMessage> Read(string path, long maxMessageBytes, Action<long>? bytesRead = null)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        foreach (var message in Read(stream, path, maxMessageBytes, bytesRead))
        {
            yield return message;
        }
    }

    public static IEnumerable<RawMessage> Read(Stream stream, string name, long maxMessageBytes, Action<long>? bytesRead = null)
    {
        using var splitter = new Splitter(stream, name, maxMessageBytes, bytesRead);
        while (splitter.Next() is { } message)
        {
            yield return message;
        }
    }

    private sealed class Splitter(Stream stream, string name, long limit, Action<long>? bytesRead) : IDisposable
    {
        public void Dispose() => current?.Dispose();

        private const int MaxPiece = 64 * 1024;
        private readonly byte[] buffer = new byte[MaxPiece * 2];
        private int start;
        private int end;
        private bool eof;
        private long consumed;
        private bool atLineStart = true;
        private bool previousBlank = true;
        private bool skippingSeparator;
        private MessageBuilder? current;

        public RawMessage? Next()
        {
            while (NextPiece(out var length, out var endsLine))
            {
                var piece = buffer.AsSpan(start, length);
                RawMessage? finished = null;
                if (atLineStart && piece.StartsWith("From "u8) && (previousBlank || current is null))
                {
                    finished = current?.Finish();
                    current = new MessageBuilder($"{name}@{consumed}", limit);
                    skippingSeparator = !endsLine;
                }
                else if (skippingSeparator)
                {
                    skippingSeparator = !endsLine;
                }
                else if (current is not null)
                {
                    var body = piece;
                    if (atLineStart && body.Length > 5 && body[0] == (byte)'>' && body.TrimStart((byte)'>').StartsWith("From "u8))
                    {
                        body = body[1..];
                    }

                    current.Append(body, atLineStart && endsLine && IsBlank(piece));
                }

                previousBlank = atLineStart && endsLine && IsBlank(piece);
                atLineStart = endsLine;
                consumed += length;
                start += length;
                if (finished is not null)
                {
                    return finished;
                }
            }

            var last = current?.Finish();
            current = null;
            return last;
        }

        private bool NextPiece(out int length, out bool endsLine)
        {
            while (true)
            {
                var available = buffer.AsSpan(start, end - start);
                var newline = available.IndexOf((byte)'\n');
                if (newline >= 0)
                {
                    length = newline + 1;
                    endsLine = true;
                    return true;
                }

                if (available.Length >= MaxPiece || (eof && available.Length > 0))
                {
                    length = Math.Min(available.Length, MaxPiece);
                    endsLine = eof && length == available.Length;
                    return true;
                }

                if (eof)
                {
                    length = 0;
                    endsLine = false;
                    return false;
                }

                Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                end -= start;
                start = 0;
                var read = stream.Read(buffer, end, buffer.Length - end);
                if (read == 0)
                {
                    eof = true;
                }
                else
                {
                    end += read;
                    bytesRead?.Invoke(read);
                }
            }
        }

        private static bool IsBlank(ReadOnlySpan<byte> line) =>
            line.SequenceEqual("\n"u8) || line.SequenceEqual("\r\n"u8);
    }

    /// <summary>Collects one message; the blank line before the next separator is not part of it.</summary>
    private sealed class MessageBuilder(string origin, long limit) : IDisposable
    {
        private readonly MessageHasher hasher = new();
        private MemoryStream? content = new();
        private byte[]? heldBlank;
        private long size;

        public void Append(ReadOnlySpan<byte> piece, bool isBlankLine)
        {
            if (heldBlank is not null)
            {
                Add(heldBlank);
                heldBlank = null;
            }

            if (isBlankLine)
            {
                heldBlank = piece.ToArray();
                return;
            }

            Add(piece);
        }

        private void Add(ReadOnlySpan<byte> piece)
        {
            hasher.Append(piece);
            size += piece.Length;
            if (content is null)
            {
                return;
            }

            if (size > limit)
            {
                content.Dispose();
                content = null;
                return;
            }

            content.Write(piece);
        }

        public RawMessage Finish()
        {
            var hash = hasher.Finish();
            var bytes = content?.ToArray();
            Dispose();
            return new RawMessage(origin, bytes, size, hash);
        }

        public void Dispose()
        {
            hasher.Dispose();
            content?.Dispose();
            content = null;
        }
    }
}
