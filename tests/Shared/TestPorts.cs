using System.Net;
using System.Net.Sockets;

namespace FlowMesh.Testing;

/// <summary>
/// Ports for the servers a test starts on 127.0.0.1, taken from just below the kernel's ephemeral
/// range. A port the OS picks for "port 0" comes from that range, and once released it can be handed
/// to any outgoing connection before the server binds it (a silo failed once with "address already in
/// use" on a port its own cluster connection held). Below the range only listeners compete, and each
/// test process starts at its own random place in it; every port is checked free before it is used.
/// </summary>
internal static class TestPorts
{
    private static readonly (int Low, int High) Range = ReadRange();
    private static int _next = Random.Shared.Next(Range.High - Range.Low);

    public static int Next()
    {
        for (var attempt = 0; attempt < Range.High - Range.Low; attempt++)
        {
            var port = Range.Low + (int)((uint)Interlocked.Increment(ref _next) % (uint)(Range.High - Range.Low));
            if (IsFree(port)) return port;
        }
        throw new InvalidOperationException($"No free port on 127.0.0.1 in {Range.Low}-{Range.High - 1}.");
    }

    public static int[] Allocate(int count) => [.. Enumerable.Range(0, count).Select(_ => Next())];

    private static bool IsFree(int port)
    {
        try
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static (int Low, int High) ReadRange()
    {
        // Linux: "32768\t60999". Elsewhere, or if the range starts too low to leave room, use 20000-32767.
        const int Width = 12_000;
        try
        {
            var fields = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            var ephemeralLow = int.Parse(fields[0], System.Globalization.CultureInfo.InvariantCulture);
            if (ephemeralLow - Width >= 10_000) return (ephemeralLow - Width, ephemeralLow);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            // Not Linux, or not readable: the fallback below.
        }
        return (20_000, 32_768);
    }
}
