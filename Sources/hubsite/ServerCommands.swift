import ArgumentParser
import HubSiteCommandLine
#if canImport(Glibc)
import Glibc
#endif

// The preview server and the comment service live in a second program, `hubsite-server`, beside
// this one, so that every other command starts without loading the HTTP server's libraries
// (Foundation's networking and libcurl among them). `hubsite` checks their command line and
// answers --help itself, then becomes `hubsite-server` with the same arguments: the process stays
// the same, so its exit status and the signals sent to it (Ctrl-C, TERM) are the server's.

/// `hubsite serve`: run by `hubsite-server`.
struct ServeCommand: ParsableCommand {
    static let configuration = PreviewServerHelp.configuration

    @OptionGroup var options: PreviewServerOptions

    func run() throws { ServerProgram.replaceThisProcess() }
}

/// `hubsite comments serve`: run by `hubsite-server`.
struct CommentsServeCommand: ParsableCommand {
    static let configuration = CommentServiceHelp.configuration

    @OptionGroup var options: CommentServiceOptions

    func run() throws { ServerProgram.replaceThisProcess() }
}

enum ServerProgram {
    static let name = "hubsite-server"

    /// Executes `hubsite-server`, from the folder this program is in, with this program's
    /// arguments; returns only by leaving with the environment status when that fails.
    static func replaceThisProcess() -> Never {
        guard let folder = ownFolder() else {
            Console.error("hubsite: error: cannot find the folder this program is in (/proc/self/exe) to start \(name)")
            Console.exit(ExitStatus.environment)
        }
        let path = folder + "/" + name
        let arguments = [path] + CommandLine.arguments.dropFirst()
        // Signals blocked in this thread would stay blocked in the server, which stops on Ctrl-C.
        var nothing = sigset_t()
        sigemptyset(&nothing)
        pthread_sigmask(SIG_SETMASK, &nothing, nil)
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        execv(path, &argv)
        let reason = String(cString: strerror(errno))
        Console.error("hubsite: error: cannot start \(path): \(reason); it comes with hubsite and must be installed beside it")
        Console.exit(ExitStatus.environment)
    }

    /// The folder holding this program's executable, symbolic links resolved.
    static func ownFolder() -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        let path = String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard let slash = path.lastIndex(of: "/") else { return nil }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
