using System.Security.Cryptography;
using System.Text;

namespace Telemetry.Core.Privacy;

/// <summary>
/// The secret that turns Server IDs into keyed hashes (HMAC-SHA256) in the suppression list, so that honouring
/// an opt-out never needs the plain Server ID. Kept in a file outside the database, created on first use with
/// mode 0600: a copy of the database alone cannot tell which instance opted out.
/// </summary>
public sealed class SuppressionKey
{
    private const int KeyBytes = 32;
    private readonly byte[] key;

    private SuppressionKey(byte[] key, string path)
    {
        this.key = key;
        Path = path;
    }

    public string Path { get; }

    /// <summary>The key file used when none is configured: beside the database, named after it (<c>telemetry.key</c>).</summary>
    public static string DefaultPathFor(string databasePath) =>
        System.IO.Path.ChangeExtension(System.IO.Path.GetFullPath(databasePath), ".key");

    /// <summary>Reads the key file, or creates it (owner read/write only, or also readable by the analytics group) when it does not exist.</summary>
    public static SuppressionKey LoadOrCreate(string path, string? group = null)
    {
        var full = System.IO.Path.GetFullPath(path);
        Storage.DataAccess.Check(full, FileAccess.Read);
        if (File.Exists(full))
        {
            string text;
            try
            {
                text = File.ReadAllText(full).Trim();
            }
            catch (UnauthorizedAccessException)
            {
                throw Storage.DataAccess.Denied(full);
            }

            byte[] bytes;
            try
            {
                bytes = Convert.FromBase64String(text);
            }
            catch (FormatException)
            {
                throw new InvalidOperationException($"The key file {full} is not a base64 key; restore it from the backup.");
            }

            if (bytes.Length < KeyBytes)
            {
                throw new InvalidOperationException($"The key file {full} holds {bytes.Length} bytes; at least {KeyBytes} are needed.");
            }

            return new SuppressionKey(bytes, full);
        }

        var directory = System.IO.Path.GetDirectoryName(full);
        if (directory is not null && !Directory.Exists(directory))
        {
            Directory.CreateDirectory(directory);
            Storage.DataAccess.Restrict(directory, group, isDirectory: true);
        }

        // Written whole to a temporary file, flushed to disk, then renamed into place: a crash (even SIGKILL) never
        // leaves a partial key behind, which would make the database unusable.
        var created = RandomNumberGenerator.GetBytes(KeyBytes);
        var temporary = full + ".new-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(4));
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temporary, options))
        {
            stream.Write(Encoding.ASCII.GetBytes(Convert.ToBase64String(created) + "\n"));
            stream.Flush(flushToDisk: true);
        }

        if (group is not null)
        {
            Storage.DataAccess.Restrict(temporary, group, isDirectory: false, keyFile: true);
        }

        try
        {
            File.Move(temporary, full, overwrite: false);
        }
        catch (IOException) when (File.Exists(full))
        {
            // Another process created it first: use that one.
            File.Delete(temporary);
            return LoadOrCreate(full, group);
        }

        return new SuppressionKey(created, full);
    }

    /// <summary>Lower-case hex HMAC-SHA256 of a text under this key.</summary>
    public string Hash(string text) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(text)));

    /// <summary>A value stored in the database to detect that a different key file is being used with it.</summary>
    public string Fingerprint => Hash("telemetry:key-check");
}
