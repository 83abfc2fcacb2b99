fn main() -> std::process::ExitCode {
    qabyldau::cli::main()
}
