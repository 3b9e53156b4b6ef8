using System.Buffers;

namespace Telemetry.Core.Reports;

/// <summary>
/// A write-only stream that collects at most a fixed number of bytes and throws past it. Its memory comes from the
/// shared array pool while it is small (the usual report), and goes back there when it is disposed.
/// </summary>
internal sealed class BoundedBuffer(long limit) : Stream
{
    /// <summary>Larger buffers are left to the garbage collector rather than kept in the shared pool.</summary>
    private const int PooledUpTo = 1024 * 1024;

    private byte[] buffer = [];
    private int length;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => length;

    public override long Position
    {
        get => length;
        set => throw new NotSupportedException();
    }

    public ReadOnlyMemory<byte> Written => buffer.AsMemory(0, length);

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        var end = (long)length + buffer.Length;
        if (end > limit)
        {
            throw new LimitExceededException();
        }

        if (end > int.MaxValue)
        {
            // What MemoryStream, used here before, said at the same point.
            throw new IOException("Stream was too long.");
        }

        if (end > this.buffer.Length)
        {
            Grow((int)end);
        }

        buffer.CopyTo(this.buffer.AsSpan(length));
        length = (int)end;
    }

    /// <summary>Forgets what was written, keeping the memory for the next use.</summary>
    public void Clear() => length = 0;

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
            Release();
            buffer = [];
            length = 0;
        }

        base.Dispose(disposing);
    }

    private void Grow(int needed)
    {
        var capacity = (int)Math.Min(Math.Max(Math.Max(needed, 4096), (long)buffer.Length * 2), Array.MaxLength);
        var larger = capacity <= PooledUpTo ? ArrayPool<byte>.Shared.Rent(capacity) : new byte[Math.Max(capacity, needed)];
        buffer.AsSpan(0, length).CopyTo(larger);
        Release();
        buffer = larger;
    }

    private void Release()
    {
        if (buffer.Length is > 0 and <= PooledUpTo)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
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
