using Google.Apis.Auth.OAuth2.Responses;
using Telemetry.Core.Configuration;
using Telemetry.Receiver.Auth;
using Telemetry.Receiver.Service;
using Telemetry.Tests.TestSupport;

namespace Telemetry.Tests.Service;

/// <summary>Gmail OAuth2: the token file and the configuration. (The consent itself needs Google and a browser.)</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class GoogleOAuth2Tests
{
    [Test]
    public async Task TokenFile_RoundTrips_AndStaysOwnerOnly()
    {
        using var dir = new TempDirectory();
        var store = new TokenFileStore(dir.File("google-token.json"));
        await store.StoreAsync("reports@example.com", new TokenResponse { RefreshToken = "refresh-1", AccessToken = "access-1", ExpiresInSeconds = 3600 });
        await store.StoreAsync("other@example.com", new TokenResponse { RefreshToken = "refresh-2" });

        var read = await new TokenFileStore(dir.File("google-token.json")).GetAsync<TokenResponse>("reports@example.com");
        Assert.That(read.RefreshToken, Is.EqualTo("refresh-1"));
        Assert.That(File.GetUnixFileMode(dir.File("google-token.json")), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        await store.DeleteAsync<TokenResponse>("other@example.com");
        Assert.That(await store.GetAsync<TokenResponse>("other@example.com"), Is.Null);
    }

    [Test]
    public void Service_WithoutAToken_SaysToRunAuthGoogle()
    {
        using var dir = new TempDirectory();
        var options = new ImapOptions
        {
            Host = "imap.gmail.com",
            Username = "reports@example.com",
            Authentication = ImapAuthentication.GoogleOAuth2,
            OAuth2 = new GoogleOAuth2Options { ClientId = "id", ClientSecret = "secret", TokenFile = dir.File("none.json") },
        };
        var e = Assert.Throws<ConfigurationException>(() => _ = new GoogleOAuth2Authenticator(options));
        Assert.That(e!.Message, Does.Contain("telemetry auth google"));
    }

    [Test]
    public void Configuration_GoogleOAuth2_NeedsClientAndTokenFile_ButNoPassword()
    {
        string[] common = ["Telemetry:Mailbox:Kind=Imap", "Telemetry:Mailbox:Imap:Host=imap.gmail.com", "Telemetry:Mailbox:Imap:Username=reports@example.com", "Telemetry:Mailbox:Imap:Authentication=GoogleOAuth2"];
        var e = Assert.Throws<ConfigurationException>(() => ServiceConfiguration.Bind(ServiceConfiguration.Build(null, common)));
        Assert.That(e!.Message, Does.Contain("OAuth2:ClientId").And.Contain("OAuth2:TokenFile"));
        Assert.That(e.Message, Does.Not.Contain("Imap:Password or"));

        var ok = ServiceConfiguration.Bind(ServiceConfiguration.Build(null, [.. common, "Telemetry:Mailbox:Imap:OAuth2:ClientId=id", "Telemetry:Mailbox:Imap:OAuth2:ClientSecretFile=/etc/telemetry/google-secret", "Telemetry:Mailbox:Imap:OAuth2:TokenFile=/var/lib/telemetry/google-token.json"]));
        Assert.That(ok.Mailbox.Imap.Authentication, Is.EqualTo(ImapAuthentication.GoogleOAuth2));
    }
}
