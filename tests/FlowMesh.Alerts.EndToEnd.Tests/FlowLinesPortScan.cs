using System.Globalization;

namespace FlowMesh.Alerts.EndToEnd.Tests;

/// <summary>One source touching consecutive destination ports (a port scan), one rejected flow each.</summary>
public static class PortScanLines
{
    public static IEnumerable<string> Create(string eni, string source, string destination, int firstPort, int ports)
    {
        var end = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 5;
        for (var p = firstPort; p < firstPort + ports; p++)
            yield return string.Create(CultureInfo.InvariantCulture,
                $"2 {FlowLines.Account} {eni} {source} {destination} 61000 {p} 6 1 44 {end - 50} {end} REJECT OK");
    }

    /// <summary>
    /// A service's replies on <paramref name="clients"/> connections of one client, each to a different ephemeral port
    /// of one client: as many distinct destination ports as a scan, but not a scan.
    /// </summary>
    public static IEnumerable<string> Replies(string eni, string server, int servicePort, string client, int firstEphemeralPort, int clients)
    {
        var end = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 5;
        for (var p = firstEphemeralPort; p < firstEphemeralPort + clients; p++)
            yield return string.Create(CultureInfo.InvariantCulture,
                $"2 {FlowLines.Account} {eni} {server} {client} {servicePort} {p} 6 4 4000 {end - 50} {end} ACCEPT OK");
    }
}
