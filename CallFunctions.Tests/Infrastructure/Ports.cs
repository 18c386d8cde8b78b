using System.Net;
using System.Net.Sockets;

namespace CallFunctions.Tests.Infrastructure;

internal static class Ports
{
    /// <summary>
    /// A loopback port nothing listens on, for a process of a test to listen on. It is taken below the kernel's
    /// ephemeral range, where no one is handed ports: a port from there (port 0) could be given to the next listener
    /// that asks, such as a Functions host choosing its worker's ports, or be taken by an outgoing connection, before
    /// our process binds it. Never the same port twice in one test run.
    /// </summary>
    public static int Free()
    {
        while (true)
        {
            var port = Random.Shared.Next(Below.Low, Below.High);
            if (!Given.TryAdd(port, 0)) continue;
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken: try another.
            }
        }
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, byte> Given = new();

    /// <summary>The ports below the ephemeral range (32768–60999 by default on Linux), above the well-known ones.</summary>
    private static readonly (int Low, int High) Below = ReadBelowEphemeral();

    private static (int Low, int High) ReadBelowEphemeral()
    {
        var ephemeralLow = 32768;
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            ephemeralLow = int.Parse(range[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            // Not Linux, or no such file: the default range.
        }
        return ephemeralLow > 12000 ? (ephemeralLow - 10000, ephemeralLow) : (49152 - 10000, 49152);
    }

    public static async Task WaitUntilOpenAsync(int port, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < until)
            {
                await Task.Delay(50);
            }
        }
    }
}
