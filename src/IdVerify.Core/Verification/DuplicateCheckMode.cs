namespace IdVerify.Core.Verification;

/// <summary>Configuration <c>Enrollment:DuplicateCheck</c>: what an enrollment does with a face that matches another subject.</summary>
public enum DuplicateCheckMode
{
    Off,

    /// <summary>Enroll, and report the other subject in the response and the audit log.</summary>
    Warn,

    /// <summary>Answer 409 duplicate_identity and store nothing.</summary>
    Refuse,
}
