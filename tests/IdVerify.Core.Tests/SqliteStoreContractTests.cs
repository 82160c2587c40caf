namespace IdVerify.Core.Tests;

/// <summary>The store contract on SQLite.</summary>
public sealed class SqliteStoreContractTests : StoreContractTests<SqliteStoreBackend>;
