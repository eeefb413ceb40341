using System.Net;
using System.Net.Sockets;

namespace FlowMesh.EndToEnd.Tests;

/// <summary>Ports that are free right now on 127.0.0.1, found by letting the OS pick (bind to port 0).</summary>
internal static class FreePorts
{
    public static int[] Allocate(int count)
    {
        // All listeners stay open until every port is known, so the OS hands out distinct ports.
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToArray();
        try
        {
            foreach (var listener in listeners) listener.Start();
            return [.. listeners.Select(listener => ((IPEndPoint)listener.LocalEndpoint).Port)];
        }
        finally
        {
            foreach (var listener in listeners) listener.Stop();
        }
    }
}
