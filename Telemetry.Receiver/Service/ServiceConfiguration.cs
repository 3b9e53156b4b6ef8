using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Telemetry.Core.Configuration;

namespace Telemetry.Receiver.Service;

/// <summary>
/// Reads the receiver's configuration, each source overriding the one before: <c>appsettings.json</c> next to the
/// executable, the file given with <c>--config</c>, environment variables (<c>Telemetry__Mailbox__Imap__Host</c>),
/// systemd credentials (files in <c>$CREDENTIALS_DIRECTORY</c> named after the key, such as
/// <c>Telemetry__Mailbox__Imap__Password</c>), then the command line (<c>--set Telemetry:Mailbox:Kind=Maildir</c>).
/// A key that does not exist or a value that is wrong stops the start with a message naming it.
/// </summary>
public static class ServiceConfiguration
{
    public static IConfigurationRoot Build(string? configFile, IEnumerable<string> settings, IDictionary<string, string?>? overrides = null)
    {
        var builder = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true, reloadOnChange: false);
        if (configFile is not null)
        {
            if (!File.Exists(configFile))
            {
                throw new ConfigurationException($"The configuration file {Path.GetFullPath(configFile)} does not exist.");
            }

            builder.AddJsonFile(Path.GetFullPath(configFile), optional: false, reloadOnChange: false);
        }

        builder.AddEnvironmentVariables();
        if (Environment.GetEnvironmentVariable("CREDENTIALS_DIRECTORY") is { Length: > 0 } credentials && Directory.Exists(credentials))
        {
            builder.AddKeyPerFile(credentials, optional: true);
        }

        var pairs = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var setting in settings)
        {
            var eq = setting.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new ConfigurationException($"--set takes KEY=VALUE, for example Telemetry:Mailbox:Kind=Maildir (got '{setting}').");
            }

            pairs[setting[..eq].Trim()] = setting[(eq + 1)..];
        }

        if (overrides is not null)
        {
            foreach (var (key, value) in overrides)
            {
                pairs[key] = value;
            }
        }

        builder.AddInMemoryCollection(pairs);
        return builder.Build();
    }

    /// <summary>Binds and validates the <c>Telemetry</c> section; unknown keys and bad values are errors naming the key.</summary>
    public static TelemetryOptions Bind(IConfiguration configuration)
    {
        var unknown = new List<string>();
        FindUnknownKeys(configuration.GetSection(TelemetryOptions.Section), typeof(TelemetryOptions), unknown);
        if (unknown.Count > 0)
        {
            throw new ConfigurationException("Configuration error: " + string.Join(" ", unknown.Select(k => $"{k} is not a known setting (see samples/appsettings.example.json).")));
        }

        var options = new TelemetryOptions();
        try
        {
            configuration.GetSection(TelemetryOptions.Section).Bind(options, o => o.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException e)
        {
            // The binder's message names the key ("Failed to convert configuration value 'x' at 'Telemetry:...' to type ...").
            throw new ConfigurationException("Configuration error: " + e.Message);
        }

        var result = new TelemetryOptionsValidator().Validate(null, options);
        if (result.Failed)
        {
            throw new ConfigurationException("Configuration error: " + string.Join(" ", result.Failures));
        }

        return options;
    }

    private static void FindUnknownKeys(IConfigurationSection section, Type type, List<string> unknown)
    {
        foreach (var child in section.GetChildren())
        {
            var property = type.GetProperty(child.Key, System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.IgnoreCase);
            if (property is null || !property.CanWrite)
            {
                unknown.Add(child.Path);
                continue;
            }

            var t = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            // A list (Alerts:To) has indexes for keys, not properties.
            if (t.IsClass && t != typeof(string) && !typeof(System.Collections.IEnumerable).IsAssignableFrom(t))
            {
                FindUnknownKeys(child, t, unknown);
            }
        }
    }

    /// <summary>The IMAP password: the Password key (or its systemd credential), else the first line of PasswordFile.</summary>
    public static string ImapPassword(ImapOptions imap)
    {
        if (!string.IsNullOrEmpty(imap.Password))
        {
            return imap.Password;
        }

        try
        {
            return File.ReadLines(imap.PasswordFile!).FirstOrDefault()?.TrimEnd('\r', '\n')
                ?? throw new ConfigurationException($"The password file {imap.PasswordFile} (Telemetry:Mailbox:Imap:PasswordFile) is empty.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException($"Cannot read the password file {imap.PasswordFile} (Telemetry:Mailbox:Imap:PasswordFile): {e.Message}");
        }
    }
}

/// <summary>The configuration is wrong; the message names the key or file to fix.</summary>
public sealed class ConfigurationException(string message) : Exception(message);
