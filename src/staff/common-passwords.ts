// Passwords and password stems people choose most often (from the published top lists, in
// English and Spanish, and keyboard walks), lower-cased. The policy refuses a password that is one
// of them, one of them repeated, or one of them with digits and symbols around it.
const WORDS = `
123456 password 12345678 qwerty 123456789 12345 1234 111111 1234567 dragon 123123 baseball abc123
football monkey letmein shadow master 666666 qwertyuiop 123321 mustang 1234567890 michael 654321
superman 1qaz2wsx 7777777 121212 000000 qazwsx 123qwe killer trustno1 jordan jennifer zxcvbnm asdfgh
hunter buster soccer harley batman andrew tigger sunshine iloveyou 2000 charlie robert thomas hockey
ranger daniel starwars klaster 112233 george computer michelle jessica pepper 1111 zxcvbn 555555
11111111 131313 freedom 777777 pass maggie 159753 aaaaaa ginger princess joshua cheese amanda summer
love ashley nicole chelsea matthew access yankees 987654321 dallas austin thunder taylor matrix
william corvette hello martin heather secret merlin diamond 1234qwer gfhjkm hammer silver 222222
88888888 anthony justin test bailey q1w2e3r4t5 patrick internet scooter orange 11111 golfer cookie
richard samantha bigdog guitar jackson whatever mickey chicken sparky snoopy maverick phoenix camaro
peanut morgan welcome falcon cowboy ferrari samsung andrea smokey steelers joseph mercedes dakota
arsenal eagles melissa boomer booboo spider nascar monster tigers yellow xxxxxx 123123123 gateway
marina diablo bulldog qwer1234 compaq purple banana junior hannah 123654 porsche lakers
iceman money cowboys 987654 london tennis 999999 ncc1701 coffee scooby 0000 miller boston q1w2e3r4
brandon yamaha chester mother forever johnny edward 333333 oliver redsox player nikita knight
fender barney midnight please brandy chicago badboy slayer rangers charles angel flower bigdaddy
rabbit wizard jasper enter rachel chris steven winner adidas victoria natasha 1q2w3e4r jasmine
winter prince marine ghbdtn fishing cocacola casper james 232323 raiders 888888 marlboro
gandalf asdfasdf crystal 87654321 12344321 golden 8675309 panther lauren angela
spanky thx1138 angels madison winston shannon mike toyota jordan23 canada sophie
apples tiger razz 123abc pokemon qazxsw 55555 qwaszx muffin johnson murphy cooper jonathan
liverpoo david danielle 159357 jackie 1990 123456a 789456 turtle abcd1234 scorpion qazwsxedc
101010 butter carlos password1 dennis slipknot qwerty123 booger asdf 1991 black startrek 12341234
cameron newyork rainbow nathan john 1992 rocket viking redskins asdfghjkl 1212 sierra
peaches gemini doctor wilson sandra helpme qwertyui victor florida dolphin pookie captain tucker blue
liverpool theman bandit dolphins maddog packers jaguar lovers nicholas united tiffany maxwell zzzzzz
nirvana jeremy stupid monica elephant giants jackass hotdog rosebud success debbie
mountain 444444 xxxxxxxx warrior 1q2w3e4r5t 123456789a admin administrator root changeme default
passw0rd p@ssword p@ssw0rd letmein1 welcome1 abc12345 iloveyou1 qwerty1 zaq12wsx 1qaz2wsx3edc
zaq1xsw2 qwertyuiopasdfghjkl asdfghjkl123 1q2w3e4r5t6y 1q2w3e 123qweasd qweasdzxc qweasd 147258369
123456789012 1234567890123 12345678901234 123456789123 987654321098 098765432109 0987654321
pregon boletin bulletin newsletter correo contraseña contrasena clave secreto teamo tequiero
teamomucho amor amormio futbol barcelona realmadrid mexico colombia argentina espana españa madrid
hola holahola bienvenido bienvenida qwertyuiop123 princesa mariposa estrella corazon chocolate
america tesoro cariño carino dios jesus jesucristo familia mama papa gatito perrito
`;

export const COMMON_PASSWORDS: ReadonlySet<string> = new Set(WORDS.split(/\s+/).filter(Boolean));
