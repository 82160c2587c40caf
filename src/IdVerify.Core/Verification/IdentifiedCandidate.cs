namespace IdVerify.Core.Verification;

/// <summary>A subject whose score passed the identify threshold, live capture and quality permitting.</summary>
public sealed record IdentifiedCandidate(string SubjectId, float Score, int TemplatesCompared);
