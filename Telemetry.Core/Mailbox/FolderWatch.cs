namespace Telemetry.Core.Mailbox;

/// <summary>Notices files appearing under a folder, to wake the service within seconds instead of at the next poll.</summary>
internal static class FolderWatch
{
    public static async Task<bool> WaitAsync(string folder, string filter, bool subdirectories, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(folder))
        {
            await Task.Delay(timeout, cancellationToken).ConfigureAwait(false);
            return false;
        }

        var arrived = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var watcher = new FileSystemWatcher(folder, filter) { IncludeSubdirectories = subdirectories, NotifyFilter = NotifyFilters.FileName };
        watcher.Created += (_, _) => arrived.TrySetResult(true);
        watcher.Renamed += (_, _) => arrived.TrySetResult(true);
        watcher.EnableRaisingEvents = true;
        var delay = Task.Delay(timeout, cancellationToken);
        var first = await Task.WhenAny(arrived.Task, delay).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return first == arrived.Task;
    }
}
