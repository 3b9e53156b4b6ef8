using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Telemetry.Core.Storage;

/// <summary>
/// Who may read the data. Everything in a report is In-App Analytics: the founder and employees may see it,
/// contractors may not. The operating system enforces it: the database, its key file and the folders created
/// for them are owner-only (0700/0600), or open to one analytics group when one is configured (folder 0770,
/// database 0660, key file 0640).
/// </summary>
public static partial class DataAccess
{
    /// <summary>Applies the file mode (and group) to a file or folder this program has just created.</summary>
    public static void Restrict(string path, string? group, bool isDirectory, bool keyFile = false)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var mode = isDirectory
            ? UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            : UnixFileMode.UserRead | UnixFileMode.UserWrite;
        if (group is not null)
        {
            var gid = GroupId(group) ?? throw new InvalidOperationException($"The analytics group '{group}' does not exist on this machine (see /etc/group).");
            if (Chown(path, -1, gid) != 0)
            {
                throw new UnauthorizedAccessException($"Cannot give {path} to the group '{group}' (errno {Marshal.GetLastPInvokeError()}); run as a member of that group.");
            }

            // Members of the group use the commands too (which write the WAL and the audit log): read and write,
            // except the key file, which they only read.
            mode |= isDirectory
                ? UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
                : keyFile ? UnixFileMode.GroupRead : UnixFileMode.GroupRead | UnixFileMode.GroupWrite;
        }

        File.SetUnixFileMode(path, mode);
    }

    /// <summary>Fails with one clear sentence when the current user cannot open <paramref name="path"/> for reading and writing.</summary>
    public static void Check(string path, FileAccess access = FileAccess.ReadWrite)
    {
        try
        {
            using var probe = new FileStream(path, FileMode.Open, access, FileShare.ReadWrite);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            // Nothing there (yet): not a permission problem.
        }
        catch (UnauthorizedAccessException)
        {
            throw Denied(path);
        }
    }

    /// <summary>The sentence a user without access gets: the path, its group, and what to ask for.</summary>
    public static DataAccessDeniedException Denied(string path)
    {
        var owner = Stat(path) ?? Stat(Path.GetDirectoryName(path) ?? path);
        var groupMayRead = owner is { Mode.Length: 3 } && owner.Value.Mode[1] >= '4';
        var who = owner is null
            ? "readable only by the accounts it was opened to"
            : groupMayRead
                ? $"readable only by {owner.Value.User} and the group '{owner.Value.Group}'"
                : $"readable only by {owner.Value.User}";
        var ask = groupMayRead
            ? $"ask the administrator to add your account to the group '{owner!.Value.Group}'"
            : "ask the administrator to give you access through the analytics group";
        return new DataAccessDeniedException(
            $"You ({Environment.UserName}) may not open {path}: the telemetry data is In-App Analytics, {who}; {ask} (docs/privacy.md, \"Access\").");
    }

    private static int? GroupId(string name)
    {
        foreach (var line in File.ReadLines("/etc/group"))
        {
            var fields = line.Split(':');
            if (fields.Length >= 3 && fields[0] == name && int.TryParse(fields[2], out var gid))
            {
                return gid;
            }
        }

        return null;
    }

    /// <summary>The owner, group and octal mode of a file (from <c>stat</c>), or null when they cannot be told.</summary>
    private static (string User, string Group, string Mode)? Stat(string path)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("stat", ["-c", "%U %G %a", path])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null)
            {
                return null;
            }

            var fields = process.StandardOutput.ReadToEnd().Trim().Split(' ');
            process.WaitForExit(2000);
            return process.ExitCode == 0 && fields.Length == 3 ? (fields[0], fields[1], fields[2]) : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    [LibraryImport("libc", EntryPoint = "chown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Chown(string path, int owner, int group);
}

/// <summary>The current user lacks the permission to open the data; the message says what to do.</summary>
public sealed class DataAccessDeniedException(string message) : UnauthorizedAccessException(message);
