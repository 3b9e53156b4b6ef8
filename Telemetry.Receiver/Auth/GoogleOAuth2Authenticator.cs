using Google.Apis.Auth.OAuth2;
using Google.Apis.Auth.OAuth2.Flows;
using Google.Apis.Auth.OAuth2.Responses;
using MailKit.Net.Imap;
using MailKit.Security;
using Telemetry.Core.Configuration;
using Telemetry.Core.Mailbox;
using Telemetry.Receiver.Service;

namespace Telemetry.Receiver.Auth;

/// <summary>
/// Gmail's XOAUTH2: the access token comes from the refresh token stored by <c>telemetry auth google</c>, refreshed
/// (and stored again) by Google's library when it expires. Nothing here ever waits for a browser.
/// </summary>
public sealed class GoogleOAuth2Authenticator : IImapAuthenticator
{
    /// <summary>Full IMAP access to the mailbox (Gmail has no narrower scope for IMAP).</summary>
    public const string Scope = "https://mail.google.com/";

    private readonly UserCredential credential;
    private readonly string username;

    public GoogleOAuth2Authenticator(ImapOptions options)
    {
        username = options.Username!;
        var store = new TokenFileStore(options.OAuth2.TokenFile!);
        var token = store.GetAsync<TokenResponse>(username).GetAwaiter().GetResult()
            ?? throw new ConfigurationException(
                $"No Google token for {username} in {store.Path} (Telemetry:Mailbox:Imap:OAuth2:TokenFile): run 'telemetry auth google' once.");
        var flow = new GoogleAuthorizationCodeFlow(new GoogleAuthorizationCodeFlow.Initializer
        {
            ClientSecrets = Secrets(options.OAuth2),
            Scopes = [Scope],
            DataStore = store,
        });
        credential = new UserCredential(flow, username, token);
    }

    public static ClientSecrets Secrets(GoogleOAuth2Options options) => new()
    {
        ClientId = options.ClientId,
        ClientSecret = !string.IsNullOrEmpty(options.ClientSecret)
            ? options.ClientSecret
            : File.ReadLines(options.ClientSecretFile!).First().Trim(),
    };

    public void Authenticate(ImapClient client, CancellationToken cancellationToken)
    {
        var accessToken = credential.GetAccessTokenForRequestAsync(cancellationToken: cancellationToken).GetAwaiter().GetResult();
        client.Authenticate(new SaslMechanismOAuth2(username, accessToken), cancellationToken);
    }
}
