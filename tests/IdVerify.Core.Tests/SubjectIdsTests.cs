using IdVerify.Core.Templates;

namespace IdVerify.Core.Tests;

public sealed class SubjectIdsTests
{
    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("semi;colon")]
    [InlineData("ünïcode")]
    [InlineData("victim\n")]
    [InlineData("victim\r\n")]
    [InlineData("vic\0tim")]
    [InlineData("v\u0456\u0441tim")] // Cyrillic і and с
    public void Subject_ids_outside_the_allowed_alphabet_are_refused(string id)
    {
        var error = Assert.Throws<IdVerifyException>(() => SubjectIds.Validate(id));
        Assert.Equal(ErrorCodes.InvalidSubjectId, error.Code);
        Assert.Equal("cust-42:acct_7.x", SubjectIds.Validate("cust-42:acct_7.x"));
        Assert.Throws<IdVerifyException>(() => SubjectIds.Validate(new string('a', 129)));
    }
}
