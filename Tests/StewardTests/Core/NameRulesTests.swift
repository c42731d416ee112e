import StewardCore
import Testing

@Suite("Name rules (seed 002)")
struct NameRulesTests {
    func message(_ name: String, namespace: String = "default") -> String? {
        do {
            try NameRules.validateServiceName(name, namespace: namespace)
            return nil
        } catch {
            #expect(error.field == "metadata.name")
            return error.message
        }
    }

    @Test(arguments: ["a", "hpc-preprocessor", "web1", "a-b-c-9"])
    func validNames(_ name: String) {
        #expect(message(name) == nil)
    }

    @Test func mustBeginWithALowerCaseLetter() {
        #expect(message("1web")?.contains("must begin with a lower-case letter") == true)
        #expect(message("Web")?.contains("must begin with a lower-case letter") == true)
        #expect(message("-web")?.contains("must begin with a lower-case letter") == true)
    }

    @Test func onlyLowerCaseLettersDigitsAndHyphens() {
        #expect(message("web_server")?.contains("may contain only lower-case letters (a-z), digits (0-9) and hyphens; found '_'") == true)
        #expect(message("webServer")?.contains("found 'S'") == true)
    }

    @Test func mustNotEndWithAHyphen() {
        #expect(message("web-")?.contains("not a hyphen") == true)
    }

    @Test func atMost32CharactersWithTheNamespacePrefix() {
        // "default-" is 8 characters: 24 are left.
        #expect(message(String(repeating: "a", count: 24)) == nil)
        let tooLong = message(String(repeating: "a", count: 25))
        #expect(tooLong?.contains("33 characters, at most 32") == true)
        #expect(tooLong?.contains("'<namespace>-' prefix") == true)
        #expect(message(String(repeating: "a", count: 19), namespace: "experiment-2") == nil)
        #expect(message(String(repeating: "a", count: 20), namespace: "experiment-2") != nil)
    }

    @Test func emptyName() {
        #expect(message("")?.contains("must not be empty") == true)
    }

    @Test func definitionNamesAndKinds() throws {
        try NameRules.validateDefinitionName("executordeployments.compute.colonies.io")
        #expect(throws: StewardError.self) { try NameRules.validateDefinitionName("Bad.Name") }
        #expect(throws: StewardError.self) { try NameRules.validateDefinitionName("name.") }
        try NameRules.validateKind("ExecutorDeployment")
        #expect(throws: StewardError.self) { try NameRules.validateKind("Executor-Deployment") }
        #expect(throws: StewardError.self) { try NameRules.validateKind("9Kind") }
    }
}
