using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Apis.Util.Store;
using Telemetry.Core.Storage;

namespace Telemetry.Receiver.Auth;

/// <summary>
/// Google's token store as one JSON file readable by its owner only (0600), instead of a folder of files in the
/// home directory: the refresh token grants access to the whole mailbox.
/// </summary>
public sealed class TokenFileStore(string path) : IDataStore
{
    private readonly Lock gate = new();

    public string Path { get; } = System.IO.Path.GetFullPath(path);

    public Task StoreAsync<T>(string key, T value) => Update(o => o[key] = JsonSerializer.SerializeToNode(value));

    public Task DeleteAsync<T>(string key) => Update(o => o.Remove(key));

    public Task<T> GetAsync<T>(string key)
    {
        lock (gate)
        {
            var node = Read()[key];
            return Task.FromResult(node is null ? default! : node.Deserialize<T>()!);
        }
    }

    public Task ClearAsync() => Update(o => o.Clear());

    /// <summary>Rewrites the file through an owner-only temporary file, renamed over it.</summary>
    private Task Update(Action<JsonObject> change)
    {
        lock (gate)
        {
            var all = Read();
            change(all);
            var temporary = Path + ".tmp";
            File.WriteAllBytes(temporary, []);
            DataAccess.Restrict(temporary, group: null, isDirectory: false);
            File.WriteAllText(temporary, all.ToJsonString());
            File.Move(temporary, Path, overwrite: true);
        }

        return Task.CompletedTask;
    }

    private JsonObject Read()
    {
        if (!File.Exists(Path))
        {
            return [];
        }

        try
        {
            return JsonNode.Parse(File.ReadAllText(Path)) as JsonObject ?? [];
        }
        catch (UnauthorizedAccessException)
        {
            throw DataAccess.Denied(Path);
        }
    }
}
