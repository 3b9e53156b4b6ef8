namespace Telemetry.Testing;

/// <summary>How a test Dovecot stores its mailboxes.</summary>
public enum DovecotMailStore
{
    /// <summary>One file per message, like most production servers.</summary>
    Maildir,

    /// <summary>Dovecot's multi-message files: much faster for many single-message moves.</summary>
    Mdbox,
}
