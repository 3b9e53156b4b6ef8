using MailKit.Net.Imap;

namespace Telemetry.Core.Mailbox;

/// <summary>How the IMAP connection logs in: a password (a Gmail app password works) or an OAuth2 token.</summary>
public interface IImapAuthenticator
{
    void Authenticate(ImapClient client, CancellationToken cancellationToken);
}

/// <summary>LOGIN / AUTHENTICATE PLAIN with a user name and password.</summary>
public sealed class PasswordAuthenticator(string username, string password) : IImapAuthenticator
{
    public void Authenticate(ImapClient client, CancellationToken cancellationToken) =>
        client.Authenticate(username, password, cancellationToken);
}
