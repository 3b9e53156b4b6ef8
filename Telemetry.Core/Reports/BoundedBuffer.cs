namespace Telemetry.Core.Reports;

/// <summary>A write-only stream that collects at most a fixed number of bytes and throws past it.</summary>
internal sealed class BoundedBuffer(long limit) : Stream
{
    private readonly MemoryStream inner = new();

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => inner.Length;

    public override long Position
    {
        get => inner.Position;
        set => throw new NotSupportedException();
    }

    public ReadOnlyMemory<byte> Written => inner.GetBuffer().AsMemory(0, (int)inner.Length);

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (inner.Length + buffer.Length > limit)
        {
            throw new LimitExceededException();
        }

        inner.Write(buffer);
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}

/// <summary>
/// A read-only stream that gives at most a fixed number of bytes of another and throws past it (setting
/// <see cref="Exceeded"/>); the first bytes can be looked at before they are read.
/// </summary>
internal sealed class LimitedReadStream(Stream inner, long limit) : Stream
{
    private readonly byte[] peeked = new byte[16];
    private int peekedStart;
    private int peekedEnd;
    private long read;

    /// <summary>True once more than the limit was asked of the inner stream and it had more.</summary>
    public bool Exceeded { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => read;
        set => throw new NotSupportedException();
    }

    /// <summary>Fills <paramref name="buffer"/> (up to 16 bytes) with the next bytes without consuming them; shorter at the end.</summary>
    public ReadOnlySpan<byte> Peek(Span<byte> buffer)
    {
        while (peekedEnd - peekedStart < buffer.Length)
        {
            if (peekedStart > 0)
            {
                peeked.AsSpan(peekedStart, peekedEnd - peekedStart).CopyTo(peeked);
                peekedEnd -= peekedStart;
                peekedStart = 0;
            }

            var n = inner.Read(peeked.AsSpan(peekedEnd, buffer.Length - peekedEnd));
            if (n == 0)
            {
                break;
            }

            peekedEnd += n;
        }

        var length = Math.Min(buffer.Length, peekedEnd - peekedStart);
        peeked.AsSpan(peekedStart, length).CopyTo(buffer);
        return buffer[..length];
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (Exceeded)
        {
            throw new LimitExceededException();
        }

        if (buffer.IsEmpty)
        {
            return 0;
        }

        int n;
        if (peekedEnd > peekedStart)
        {
            n = Math.Min(buffer.Length, peekedEnd - peekedStart);
            peeked.AsSpan(peekedStart, n).CopyTo(buffer);
            peekedStart += n;
        }
        else
        {
            // One byte more than allowed tells a stream that ends at the limit from one that goes past it.
            var allowed = (int)Math.Min(buffer.Length, limit + 1 - read);
            n = inner.Read(buffer[..allowed]);
        }

        read += n;
        if (read > limit)
        {
            Exceeded = true;
            throw new LimitExceededException();
        }

        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}

/// <summary>Raised by <see cref="BoundedBuffer"/> and <see cref="LimitedReadStream"/> when their limit is reached.</summary>
internal sealed class LimitExceededException : Exception
{
    public LimitExceededException()
        : base("The size limit was reached.")
    {
    }
}
