using System.ComponentModel;
using Google.Apis.Auth.OAuth2;
using Spectre.Console;
using Spectre.Console.Cli;
using Telemetry.Core.Configuration;
using Telemetry.Receiver.Auth;
using Telemetry.Receiver.Cli;
using Telemetry.Receiver.Service;

namespace Telemetry.Receiver.Commands;

/// <summary>
/// <c>telemetry auth google</c>: the one-time OAuth2 consent of the installed-app flow; the refresh token goes to a
/// 0600 file that the service then uses without any browser.
/// </summary>
public sealed class AuthGoogleCommand(CliContext cli) : Command<AuthGoogleCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--config <FILE>")]
        [Description("The service's configuration file: Telemetry:Mailbox:Imap:Username and OAuth2 (ClientId, ClientSecret or ClientSecretFile, TokenFile) are read from it.")]
        public string? Config { get; init; }

        [CommandOption("--set <KEY=VALUE>")]
        [Description("Sets one configuration key, as for run. Repeatable.")]
        public string[] Set { get; init; } = [];
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        ImapOptions imap;
        try
        {
            var overrides = new Dictionary<string, string?>
            {
                ["Telemetry:Mailbox:Kind"] = "Imap",
                ["Telemetry:Mailbox:Imap:Authentication"] = "GoogleOAuth2",
                ["Telemetry:Mailbox:Imap:Host"] = "imap.gmail.com",
            };
            var configuration = ServiceConfiguration.Build(settings.Config, settings.Set, overrides);
            imap = ServiceConfiguration.Bind(configuration).Mailbox.Imap;
        }
        catch (ConfigurationException e)
        {
            throw new UsageException(e.Message);
        }

        var store = new TokenFileStore(imap.OAuth2.TokenFile!);
        cli.Error.WriteLine("A browser window opens on this machine for the consent (on a server without one, run this command on a desktop and copy the token file, mode 0600, to the server).");
        var credential = GoogleWebAuthorizationBroker.AuthorizeAsync(
            GoogleOAuth2Authenticator.Secrets(imap.OAuth2),
            [GoogleOAuth2Authenticator.Scope],
            imap.Username,
            cancellationToken,
            store,
            new LocalServerCodeReceiver()).GetAwaiter().GetResult();
        cli.Out.WriteLine($"Authorised {credential.UserId}; the refresh token is in {store.Path} (owner-only). Set Telemetry:Mailbox:Imap:Authentication=GoogleOAuth2 for the service.");
        return TelemetryApp.ExitOk;
    }
}
