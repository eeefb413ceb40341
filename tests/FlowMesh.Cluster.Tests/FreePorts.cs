using System.Net;
using System.Net.Sockets;

namespace FlowMesh.Cluster.Tests;

/// <summary>Ports the OS reports free right now on 127.0.0.1 (bind to port 0, read, release).</summary>
internal static class FreePorts
{
    public static int Next()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
