using System.Net;
using System.Net.Sockets;

namespace Telemetry.Testing;

/// <summary>Loopback ports for the servers the integration tests start.</summary>
internal static class LoopbackPort
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// Distinct ports that were free a moment ago: the system picks each one for a listener bound to port 0,
    /// all listeners are open at once so no port is picked twice, and all are closed before returning.
    /// Another process could still take a port before the server binds it; callers retry on "address in use".
    /// </summary>
    public static int[] Free(int count)
    {
        var listeners = new List<TcpListener>(count);
        try
        {
            for (var i = 0; i < count; i++)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listeners.Add(listener);
                listener.Start();
            }

            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener.Dispose();
            }
        }
    }

    /// <summary>True once something accepts a connection on the port; false after the timeout or when <paramref name="gaveUp"/> says so.</summary>
    public static bool WaitUntilListening(int port, TimeSpan timeout, Func<bool>? gaveUp = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            using (var client = new TcpClient())
            {
                try
                {
                    client.Connect(IPAddress.Loopback, port);
                    return true;
                }
                catch (SocketException)
                {
                }
            }

            if (DateTime.UtcNow >= deadline || (gaveUp?.Invoke() ?? false))
            {
                return false;
            }

            Thread.Sleep(PollInterval);
        }
    }
}
