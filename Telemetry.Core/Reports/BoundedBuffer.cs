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

/// <summary>Raised by <see cref="BoundedBuffer"/> when its limit is reached.</summary>
internal sealed class LimitExceededException : Exception
{
    public LimitExceededException()
        : base("The size limit was reached.")
    {
    }
}
