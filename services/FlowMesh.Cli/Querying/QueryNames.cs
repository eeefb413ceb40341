using System.Globalization;
using System.Text.RegularExpressions;
using V1 = FlowMesh.Contracts.V1;

namespace FlowMesh.Cli.Querying;

/// <summary>The words the CLI uses for scopes, dimensions, metrics, windows, protocols and intervals, both ways.</summary>
internal static partial class QueryNames
{
    public static readonly string[] Dimensions = ["srcaddr", "dstaddr", "interface", "dstport", "protocol", "pair", "peer", "local"];
    public static readonly string[] Metrics = ["bytes", "packets", "flows", "rejects"];
    public static readonly string[] Actions = ["accept", "reject"];

    public static V1.Dimension ParseDimension(string? text) => text switch
    {
        null => V1.Dimension.Unspecified,
        "srcaddr" => V1.Dimension.SourceAddress,
        "dstaddr" => V1.Dimension.DestinationAddress,
        "interface" => V1.Dimension.Interface,
        "dstport" => V1.Dimension.DestinationPort,
        "protocol" => V1.Dimension.Protocol,
        "pair" => V1.Dimension.AddressPair,
        "peer" => V1.Dimension.PeerAddress,
        "local" => V1.Dimension.LocalAddress,
        _ => throw new FormatException($"--dimension: '{text}' is not one of {string.Join(", ", Dimensions)}"),
    };

    public static string Format(V1.Dimension dimension) => dimension switch
    {
        V1.Dimension.SourceAddress => "srcaddr",
        V1.Dimension.DestinationAddress => "dstaddr",
        V1.Dimension.Interface => "interface",
        V1.Dimension.DestinationPort => "dstport",
        V1.Dimension.Protocol => "protocol",
        V1.Dimension.AddressPair => "pair",
        V1.Dimension.PeerAddress => "peer",
        V1.Dimension.LocalAddress => "local",
        _ => ((int)dimension).ToString(CultureInfo.InvariantCulture),
    };

    public static V1.Metric ParseMetric(string? text) => text switch
    {
        null => V1.Metric.Unspecified,
        "bytes" => V1.Metric.Bytes,
        "packets" => V1.Metric.Packets,
        "flows" => V1.Metric.Flows,
        "rejects" => V1.Metric.RejectedFlows,
        _ => throw new FormatException($"--metric: '{text}' is not one of {string.Join(", ", Metrics)}"),
    };

    public static string Format(V1.Metric metric) => metric switch
    {
        V1.Metric.Bytes => "bytes",
        V1.Metric.Packets => "packets",
        V1.Metric.Flows => "flows",
        V1.Metric.RejectedFlows => "rejects",
        _ => ((int)metric).ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>"5m", "60m", "1h" or a bare number of minutes. Any number is sent: the server names the windows it keeps.</summary>
    public static V1.Window ParseWindow(string? text)
    {
        if (text is null) return V1.Window.Unspecified;
        var match = WindowPattern().Match(text.Trim().ToLowerInvariant());
        if (!match.Success || !int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value <= 0)
            throw new FormatException($"--window: '{text}' is not a window such as 1m, 5m, 15m or 60m");
        return (V1.Window)(match.Groups[2].Value == "h" ? value * 60 : value);
    }

    public static string Format(V1.Window window) => window == V1.Window.Unspecified ? "5m" : $"{(int)window}m";

    /// <summary>all | account:&lt;id&gt; | vpc:&lt;id&gt; | eni:&lt;id&gt; | ip:&lt;address&gt;; a bare eni-… or IP address also works.</summary>
    public static V1.Scope ParseScope(string? text)
    {
        var scope = text?.Trim() ?? "all";
        if (scope is "" or "all") return new V1.Scope { All = new Google.Protobuf.WellKnownTypes.Empty() };
        var colon = scope.IndexOf(':', StringComparison.Ordinal);
        var (kind, value) = colon > 0 ? (scope[..colon], scope[(colon + 1)..]) : ("", scope);
        return kind switch
        {
            "account" when value.Length > 0 => new V1.Scope { AccountId = value },
            "vpc" when value.Length > 0 => new V1.Scope { VpcId = value },
            "eni" when value.Length > 0 => new V1.Scope { InterfaceId = value },
            "ip" when value.Length > 0 => new V1.Scope { Address = value },
            "" when value.StartsWith("eni-", StringComparison.Ordinal) => new V1.Scope { InterfaceId = value },
            "" when value.StartsWith("vpc-", StringComparison.Ordinal) => new V1.Scope { VpcId = value },
            _ when System.Net.IPAddress.TryParse(scope, out _) => new V1.Scope { Address = scope },
            _ => throw new FormatException($"--scope: '{text}' is not all, account:<id>, vpc:<id>, eni:<id> or ip:<address>"),
        };
    }

    /// <summary>tcp, udp, icmp, icmpv6, gre, esp or an IANA number.</summary>
    public static uint ParseProtocol(string text) => text.Trim().ToLowerInvariant() switch
    {
        "icmp" => 1,
        "tcp" => 6,
        "udp" => 17,
        "gre" => 47,
        "esp" => 50,
        "icmpv6" => 58,
        var number when uint.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var n) => n,
        _ => throw new FormatException($"--protocol: '{text}' is not tcp, udp, icmp, icmpv6, gre, esp or a protocol number"),
    };

    /// <summary>"250ms", "1s", "2m" or a bare number of seconds.</summary>
    public static TimeSpan ParseInterval(string text)
    {
        var match = IntervalPattern().Match(text.Trim().ToLowerInvariant());
        if (!match.Success || !double.TryParse(match.Groups[1].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
            throw new FormatException($"--interval: '{text}' is not a duration such as 250ms, 1s or 2s");
        return match.Groups[2].Value switch
        {
            "ms" => TimeSpan.FromMilliseconds(value),
            "m" => TimeSpan.FromMinutes(value),
            _ => TimeSpan.FromSeconds(value),
        };
    }

    [GeneratedRegex(@"^(\d+)(m|h)?$")]
    private static partial Regex WindowPattern();

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)(ms|s|m)?$")]
    private static partial Regex IntervalPattern();
}
