using System.Security.Cryptography;

namespace Telemetry.Core.Mailbox;

/// <summary>SHA-256 of a message with CRLF line ends turned into LF, fed in pieces.</summary>
public sealed class MessageHasher : IDisposable
{
    private readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private bool pendingCr;

    public static byte[] Hash(ReadOnlySpan<byte> content)
    {
        using var hasher = new MessageHasher();
        hasher.Append(content);
        return hasher.Finish();
    }

    public void Append(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        if (pendingCr)
        {
            pendingCr = false;
            if (data[0] != (byte)'\n')
            {
                hash.AppendData("\r"u8);
            }
        }

        while (!data.IsEmpty)
        {
            var cr = data.IndexOf((byte)'\r');
            if (cr < 0)
            {
                hash.AppendData(data);
                return;
            }

            hash.AppendData(data[..cr]);
            if (cr + 1 == data.Length)
            {
                pendingCr = true;
                return;
            }

            if (data[cr + 1] != (byte)'\n')
            {
                hash.AppendData("\r"u8);
            }

            data = data[(cr + 1)..];
        }
    }

    public byte[] Finish()
    {
        if (pendingCr)
        {
            hash.AppendData("\r"u8);
            pendingCr = false;
        }

        return hash.GetHashAndReset();
    }

    public void Dispose() => hash.Dispose();
}
