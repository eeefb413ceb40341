using FlowMesh.FlowLogs;

namespace FlowMesh.Alerts.Diagnostics;

/// <summary>
/// Tells a security-group reject from a network-ACL reject from flow-log evidence (spec §5):
/// security groups are stateful — a reply to an allowed request is always allowed — while
/// network ACLs are stateless and check the reply separately, including its ephemeral port.
/// So an accepted request whose reply is rejected points at a NACL; a lone rejected request
/// can be either, and the diagnosis says so instead of guessing.
/// </summary>
public static class ConnectionDiagnoser
{
    private const string EphemeralPorts = "1024-65535";

    /// <param name="client">Who opens the connection.</param>
    /// <param name="server">Who is connected to.</param>
    /// <param name="port">The server port (null: any; ICMP has port 0).</param>
    /// <param name="protocol">IANA protocol number (null: any).</param>
    /// <param name="records">Records from the interfaces involved, both directions.</param>
    public static Diagnosis Diagnose(FlowAddress client, FlowAddress server, int? port, int? protocol, IEnumerable<FlowObservation> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var relevant = records.Where(r => protocol is null || r.Protocol == protocol).ToList();
        var requests = relevant.Where(r => r.Source == client && r.Destination == server && (port is null || r.DestinationPort == port)).ToList();
        var replies = relevant.Where(r => r.Source == server && r.Destination == client && (port is null || r.SourcePort == port)).ToList();
        var target = $"{server}{(port is { } p ? $":{p}" : "")}";

        if (requests.Count == 0 && replies.Count == 0)
        {
            return new Diagnosis(DiagnosisVerdict.NoRecords,
                $"No flow-log record from {client} to {target} or back.",
                ["no request and no reply record on any interface FlowMesh has seen in the window"],
                ["check that a flow log covers the interfaces of both hosts (VPC, subnet or ENI level)",
                 "check the flow log's traffic type: a REJECT-only or ACCEPT-only capture filter hides the other half (create one with traffic type ALL)",
                 "check that the traffic reaches the VPC at all (routes, DNS, the client's own firewall)"],
                requests, replies);
        }

        var evidence = new List<string>();
        evidence.AddRange(requests.Select(r => "request: " + r));
        evidence.AddRange(replies.Select(r => "reply: " + r));

        if (requests.Concat(replies).FirstOrDefault(r => r.Action == FlowAction.Reject && r.RejectReason == "BPA") is { } bpa)
        {
            return new Diagnosis(DiagnosisVerdict.BlockPublicAccess,
                $"Traffic between {client} and {target} is rejected by VPC Block Public Access (reject-reason BPA on {bpa.InterfaceId}).",
                evidence,
                ["review the VPC Block Public Access settings and exclusions for this VPC or subnet; security groups and NACLs are not the cause"],
                requests, replies);
        }

        var requestAccepted = requests.Any(r => r.Action == FlowAction.Accept);
        var requestRejected = requests.Any(r => r.Action == FlowAction.Reject);
        var replyAccepted = replies.Any(r => r.Action == FlowAction.Accept);
        var rejectedReplies = replies.Where(r => r.Action == FlowAction.Reject).ToList();

        if (requestAccepted && rejectedReplies.Count > 0)
        {
            var reply = rejectedReplies[0];
            var steps = new List<string>();
            var loggedBy = reply.Direction switch
            {
                FlowDirection.Egress => $"leaving {reply.InterfaceId} (egress)",
                FlowDirection.Ingress => $"arriving at {reply.InterfaceId} (ingress)",
                _ => $"on {reply.InterfaceId}",
            };
            if (HasPorts(reply.Protocol))
            {
                steps.Add($"check the OUTBOUND network ACL rules of the subnet of {server}: they must allow {ProtocolText(reply.Protocol)} to {client} on ports {EphemeralPorts} (the reply's destination {(reply.HighestDestinationPort > reply.DestinationPort ? "ports here are" : "port here is")} {reply.DestinationPorts})");
                steps.Add($"check the INBOUND network ACL rules of the subnet of {client} for the return traffic from {server} on ports {EphemeralPorts}");
            }
            else
            {
                steps.Add($"check the OUTBOUND network ACL rules of the subnet of {server}: they must allow {ProtocolText(reply.Protocol)} to {client} (the reply, e.g. an echo reply)");
                steps.Add($"check the INBOUND network ACL rules of the subnet of {client} for {ProtocolText(reply.Protocol)} from {server}");
            }
            if (reply.TcpFlags == 18) evidence.Add("the rejected reply carries tcp-flags 18 (SYN-ACK): the server answered and its answer was dropped");
            evidence.Add("a security group never drops the reply to a request it allowed, so the reject comes from a network ACL");
            if (requestRejected) evidence.Add("some requests were also rejected; see the records");
            return new Diagnosis(DiagnosisVerdict.ReplyRejected,
                $"The request from {client} to {target} was accepted but the reply was rejected {loggedBy}: a network ACL (stateless) drops the return traffic.",
                evidence, steps, requests, replies);
        }

        if (requestRejected && !requestAccepted)
        {
            var request = requests.First(r => r.Action == FlowAction.Reject);
            var outbound = request.Direction == FlowDirection.Egress;
            var conclusion = outbound
                ? $"The request from {client} to {target} was rejected as it left {request.InterfaceId}: the security group's outbound rules or the outbound network ACL of {client}'s subnet — flow logs cannot tell which."
                : $"The request from {client} to {target} was rejected: the security group of {server} or the inbound network ACL of its subnet — flow logs cannot tell which.";
            evidence.Add("no reply record: the request never got through, so the stateful/stateless test cannot separate security group from network ACL");
            if (requests.All(r => r.Packets <= 2) && replyAccepted)
                evidence.Add("few rejected packets next to accepted replies can also be late FIN/RST packets after the connection closed");
            string[] steps = outbound
                ? [$"check the outbound rules of the security groups on {request.InterfaceId} for {ProtocolText(request.Protocol)} to {target}",
                   $"check the outbound network ACL of the subnet of {client}"]
                : [$"check the inbound rules of the security groups on the interface of {server}: is {ProtocolText(request.Protocol)} port {request.DestinationPort} allowed from {client}?",
                   $"check the inbound network ACL of the subnet of {server} for a deny (rules are evaluated in number order)"];
            return new Diagnosis(DiagnosisVerdict.RequestRejected, conclusion, evidence, steps, requests, replies);
        }

        if (requestAccepted && replyAccepted)
        {
            return new Diagnosis(DiagnosisVerdict.AllowedBothWays,
                $"Traffic from {client} to {target} is allowed both ways.",
                evidence, ["if the application still fails, look above the network: the service, TLS, or the client"], requests, replies);
        }

        return new Diagnosis(DiagnosisVerdict.NoReplySeen,
            $"The request from {client} to {target} was accepted but no reply was logged.",
            evidence,
            ["check that the service listens on that port and answers",
             "check the flow log's traffic type: an ACCEPT-only log still shows accepted replies, a REJECT-only log shows no accepted traffic at all",
             $"check that a flow log covers the interface of {server}"],
            requests, replies);
    }

    /// <summary>TCP, UDP and SCTP have ports (and so ephemeral return ports); ICMP and the rest do not.</summary>
    private static bool HasPorts(int protocol) => protocol is 6 or 17 or 132;

    private static string ProtocolText(int protocol) => protocol switch
    {
        1 => "ICMP",
        6 => "TCP",
        17 => "UDP",
        58 => "ICMPv6",
        _ => $"protocol {protocol}",
    };
}
