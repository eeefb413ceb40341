namespace FlowMesh.Alerts.Diagnostics;

/// <summary>What the flow logs say about a connection attempt.</summary>
public enum DiagnosisVerdict
{
    /// <summary>Requests and replies were accepted.</summary>
    AllowedBothWays = 1,
    /// <summary>The request was rejected: a security group or the inbound network ACL — flow logs cannot tell which.</summary>
    RequestRejected = 2,
    /// <summary>The request was accepted but the reply rejected: a network ACL (stateless), since a security group never drops the reply to traffic it allowed.</summary>
    ReplyRejected = 3,
    /// <summary>Rejected by VPC Block Public Access (reject-reason BPA).</summary>
    BlockPublicAccess = 4,
    /// <summary>No record at all for this pair.</summary>
    NoRecords = 5,
    /// <summary>The request was accepted and no reply was logged.</summary>
    NoReplySeen = 6,
}

/// <summary>A verdict with its reasoning and the records it rests on.</summary>
public sealed record Diagnosis(
    DiagnosisVerdict Verdict,
    string Conclusion,
    IReadOnlyList<string> Evidence,
    IReadOnlyList<string> NextSteps,
    IReadOnlyList<FlowObservation> Requests,
    IReadOnlyList<FlowObservation> Replies);
